using System.ComponentModel;
using System.Net;

namespace NymGateway.Cli.Config.Sections;

/// <summary>[mixnet_endpoint]: 0.9.2's keys and defaults.</summary>
public sealed class MixnetEndpointSection
{
    public const int DefaultPort = 1789;

    [Description("Socket address to which this gateway will bind to and will be listening for sphinx packets coming from the mixnet.")]
    public IPEndPoint ListeningAddress { get; set; } = new(IPAddress.Any, DefaultPort);

    [Description("Optional address announced to the directory server for mix nodes to connect to (host:port).")]
    public string AnnounceAddress { get; set; } = $"127.0.0.1:{DefaultPort}";
}
