using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace NymGateway.Cli.Config.Sections;

/// <summary>[storage] (ours): where the ledger and inboxes live, and their bounds.</summary>
public sealed class StorageSection
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

    [Description("Most messages kept for one client; further ones are dropped until it drains.")]
    [Range(1, int.MaxValue)]
    public int MaxMessagesPerInbox { get; set; } = 10_000;

    [Description("Messages older than this are deleted.")]
    public TimeSpan MaxMessageAge { get; set; } = TimeSpan.FromHours(24);

    [Description("How often old messages are swept.")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}
