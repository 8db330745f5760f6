using System.ComponentModel;
using System.Net;

namespace NymGateway.Cli.Config.Sections;

/// <summary>[clients_endpoint]: 0.9.2's keys and defaults.</summary>
public sealed class ClientsEndpointSection
{
    public const int DefaultPort = 9000;

    [Description("Socket address to which this gateway will bind to and will be listening for client websockets.")]
    public IPEndPoint ListeningAddress { get; set; } = new(IPAddress.Any, DefaultPort);

    [Description("Optional address announced to the directory server for the clients to connect to (ws://host:port or wss://host:port).")]
    public string AnnounceAddress { get; set; } = $"ws://127.0.0.1:{DefaultPort}";

    [Description("Kept for 0.9.2 compatibility: inboxes now live in the database (see [storage]).")]
    public string InboxesDirectory { get; set; } = "data/inboxes";

    [Description("Kept for 0.9.2 compatibility: the client ledger now lives in the database (see [storage]).")]
    public string LedgerPath { get; set; } = "data/client_ledger.sled";
}
