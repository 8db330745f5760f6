using System.Net;
using Tomlyn.Serialization;

namespace NymGateway.Cli.Config;

/// <summary>Binds socket addresses ("0.0.0.0:1789"), as 0.9.2's SocketAddr fields.</summary>
public sealed class EndPointConverter : TomlConverter<IPEndPoint>
{
    public override IPEndPoint Read(TomlReader reader) =>
        reader.TokenType == TomlTokenType.String && ConfigValues.TryParseEndPoint(reader.GetString(), out var endPoint)
            ? endPoint
            : throw reader.CreateException($"expected an ip:port socket address with a port in 1..65535, found {reader.GetRawText()}");

    public override void Write(TomlWriter writer, IPEndPoint value) => writer.WriteStringValue(value.ToString());
}
