namespace NymGateway.Grains.Storage;

public enum StoreProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Where the gateway keeps its ledger and inboxes, and the limits on them.</summary>
public sealed class GatewayStoreOptions
{
    public StoreProvider Provider { get; set; } = StoreProvider.Sqlite;

    /// <summary>ADO.NET connection string; for SQLite, "Data Source=path".</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Most writes one transaction commits together (group commit).</summary>
    public int MaxWritesPerCommit { get; set; } = 1024;

    /// <summary>Most messages kept for one client; further deliveries are refused until it drains.</summary>
    public int MaxMessagesPerInbox { get; set; } = 10_000;

    /// <summary>Messages older than this are deleted by the sweeper (upstream later chose 24 h).</summary>
    public TimeSpan MaxMessageAge { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}
