using System.ComponentModel;
using NymGateway.Grains.Storage;

namespace NymGateway.Cli.Config.Sections;

/// <summary>[storage] (ours): where the ledger and inboxes live; their bounds are the store's own <see cref="InboxRetention"/>.</summary>
public sealed class StorageSection : InboxRetention
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    [Description("'sqlite' (embedded, one machine: `run`) or 'postgres' (cluster: `silo` and `edge`). A non-empty NYM_GATEWAY_DATABASE means 'postgres'.")]
    public string Database { get; set; } = Sqlite;

    [Description("The embedded database file: client ledger and inboxes (relative to the gateway's directory).")]
    public string SqlitePath { get; set; } = "data/gateway.sqlite";

    [Description("PostgreSQL connection string; NYM_GATEWAY_DATABASE overrides it, so the password need not sit in this file.")]
    [PasswordPropertyText(true)]
    public string PostgresConnectionString { get; set; } = "";
}
