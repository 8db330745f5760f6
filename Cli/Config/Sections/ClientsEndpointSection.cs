using System.ComponentModel;
using System.Net;

namespace NymGateway.Cli.Config.Sections;

/// <summary>[clients_endpoint]: 0.9.2's keys and defaults.</summary>
public sealed class ClientsEndpointSection
{
    public const int DefaultPort = 9000;

    [Description("Socket address to which this gateway will bind to\nand will be listening for websocket connections of clients.")]
    public IPEndPoint ListeningAddress { get; set; } = new(IPAddress.Any, DefaultPort);

    [Description("Optional address announced to the directory server for the clients to connect to.\nIt is useful, say, in NAT scenarios or wanting to more easily update actual IP address\nlater on by using name resolvable with a DNS query, such as `nymtech.net:8080`.\nWritten as ws://host:port or wss://host:port.")]
    public string AnnounceAddress { get; set; } = $"ws://127.0.0.1:{DefaultPort}";

    [Description("Path to the directory with clients inboxes containing messages stored for them.\n(Kept for 0.9.2: inboxes now live in the database, see [storage].)")]
    public string InboxesDirectory { get; set; } = "data/inboxes";

    [Description("Full path to a file containing mapping of client addresses to their access tokens.\n(Kept for 0.9.2: the client ledger now lives in the database, see [storage].)")]
    public string LedgerPath { get; set; } = "data/client_ledger.sled";
}
