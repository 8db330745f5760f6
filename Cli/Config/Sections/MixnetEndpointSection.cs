using System.ComponentModel;
using System.Net;

namespace NymGateway.Cli.Config.Sections;

/// <summary>[mixnet_endpoint]: 0.9.2's keys and defaults.</summary>
public sealed class MixnetEndpointSection
{
    public const int DefaultPort = 1789;

    [Description("Socket address to which this gateway will bind to\nand will be listening for sphinx packets coming from the mixnet.")]
    public IPEndPoint ListeningAddress { get; set; } = new(IPAddress.Any, DefaultPort);

    [Description("Optional address announced to the directory server for mix nodes to connect to.\nIt is useful, say, in NAT scenarios or wanting to more easily update actual IP address\nlater on by using name resolvable with a DNS query, such as `nymtech.net:8080`.\nWritten as host:port.")]
    public string AnnounceAddress { get; set; } = $"127.0.0.1:{DefaultPort}";
}
