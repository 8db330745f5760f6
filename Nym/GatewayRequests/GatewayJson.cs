using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NymGateway.Nym.GatewayRequests;

/// <summary>A client's text request (ClientControlRequest).</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(Authenticate), "authenticate")]
[JsonDerivedType(typeof(RegisterHandshakeInit), "registerHandshakeInitRequest")]
[JsonDerivedType(typeof(HandshakePayloadAlias), "handshakePayload")]
public abstract record ClientControlRequest
{
    public sealed record Authenticate(string Address, string EncAddress, string Iv) : ClientControlRequest;

    /// <summary>RegisterHandshakeInitRequest, also accepted under its alias "handshakePayload".</summary>
    public sealed record RegisterHandshakeInit([property: JsonConverter(typeof(ByteArrayAsNumbers))] byte[] Data) : ClientControlRequest;

    /// <summary>serde's alias of RegisterHandshakeInitRequest, which System.Text.Json cannot name: read only, as <see cref="RegisterHandshakeInit"/>.</summary>
    internal sealed record HandshakePayloadAlias([property: JsonConverter(typeof(ByteArrayAsNumbers))] byte[] Data) : ClientControlRequest;
}

/// <summary>A text frame of the registration handshake (RegistrationHandshake).</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(Payload), "handshakePayload")]
[JsonDerivedType(typeof(Error), "handshakeError")]
public abstract record HandshakeMessage
{
    public sealed record Payload([property: JsonConverter(typeof(ByteArrayAsNumbers))] byte[] Data) : HandshakeMessage;

    public sealed record Error(string Message) : HandshakeMessage;
}

/// <summary>The gateway's text responses (ServerResponse).</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(Authenticate), "authenticate")]
[JsonDerivedType(typeof(Register), "register")]
[JsonDerivedType(typeof(Send), "send")]
[JsonDerivedType(typeof(Error), "error")]
public abstract record ServerResponse
{
    public sealed record Authenticate(bool Status) : ServerResponse;

    public sealed record Register(bool Status) : ServerResponse;

    public sealed record Send(bool Status) : ServerResponse;

    public sealed record Error(string Message) : ServerResponse;
}

/// <summary>
/// The JSON of gateway-requests, byte for byte as serde_json writes it: internally tagged by
/// "type" (written first), camelCase variant names, snake_case field names, byte vectors as
/// number arrays, no escaping beyond what JSON needs. Parsing accepts what serde accepts and no
/// more: any field order, unknown fields ignored; a missing, null or duplicated field is refused.
/// </summary>
public static class GatewayJson
{
    public static string Serialize(ServerResponse response) => JsonSerializer.Serialize(response, GatewayJsonContext.Serde.ServerResponse);

    public static string Serialize(HandshakeMessage message) => JsonSerializer.Serialize(message, GatewayJsonContext.Serde.HandshakeMessage);

    public static string Serialize(ClientControlRequest request) => JsonSerializer.Serialize(request, GatewayJsonContext.Serde.ClientControlRequest);

    public static bool TryParseClientControlRequest(string text, [NotNullWhen(true)] out ClientControlRequest? request)
    {
        request = TryParse(text, GatewayJsonContext.Serde.ClientControlRequest) switch
        {
            ClientControlRequest.HandshakePayloadAlias alias => new ClientControlRequest.RegisterHandshakeInit(alias.Data),
            var parsed => parsed,
        };
        return request is not null;
    }

    public static bool TryParseHandshakeMessage(string text, [NotNullWhen(true)] out HandshakeMessage? message) =>
        (message = TryParse(text, GatewayJsonContext.Serde.HandshakeMessage)) is not null;

    public static bool TryParseServerResponse(string text, [NotNullWhen(true)] out ServerResponse? response) =>
        (response = TryParse(text, GatewayJsonContext.Serde.ServerResponse)) is not null;

    private static T? TryParse<T>(string text, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(text, type);
        }
        // A missing or unknown "type" leaves the abstract base to construct, which is NotSupported.
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return null;
        }
    }
}

[JsonSerializable(typeof(ClientControlRequest))]
[JsonSerializable(typeof(HandshakeMessage))]
[JsonSerializable(typeof(ServerResponse))]
[JsonSerializable(typeof(ClientControlRequest.Authenticate), TypeInfoPropertyName = "AuthenticateRequest")]
[JsonSerializable(typeof(ServerResponse.Authenticate), TypeInfoPropertyName = "AuthenticateResponse")]
[JsonSerializable(typeof(HandshakeMessage.Error), TypeInfoPropertyName = "HandshakeError")]
[JsonSerializable(typeof(ServerResponse.Error), TypeInfoPropertyName = "ErrorResponse")]
internal sealed partial class GatewayJsonContext : JsonSerializerContext
{
    /// <summary>serde_json's rules, as <see cref="GatewayJson"/> states them.</summary>
    public static GatewayJsonContext Serde { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        AllowOutOfOrderMetadataProperties = true,
        AllowDuplicateProperties = false,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        // serde_json escapes only what JSON requires; the default encoder also escapes '+', '<' and non-ASCII.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}

/// <summary>serde's Vec&lt;u8&gt;: an array of numbers, where System.Text.Json writes base64.</summary>
internal sealed class ByteArrayAsNumbers : JsonConverter<byte[]>
{
    public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("expected an array of bytes");
        }
        var bytes = new List<byte>(64);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetByte(out var b))
            {
                throw new JsonException("expected a number from 0 to 255");
            }
            bytes.Add(b);
        }
        return [.. bytes];
    }

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var b in value)
        {
            writer.WriteNumberValue(b);
        }
        writer.WriteEndArray();
    }
}
