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

    public InboxRetention Retention { get; set; } = new();

    /// <summary>How long replay tags are kept (the sweep deletes older ones).</summary>
    public ReplayProtection Replay { get; set; } = new();
}
