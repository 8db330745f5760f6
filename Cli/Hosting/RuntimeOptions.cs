using System.Net;
using NymGateway.Cli.Config;
using NymGateway.EdgeHost;
using NymGateway.EdgeHost.Forwarding;
using NymGateway.EdgeHost.Presence;
using NymGateway.Grains.Storage;
using NymGateway.Nym.Encoding;
using NymGateway.Streaming;

namespace NymGateway.Cli.Hosting;

/// <summary>
/// The options of the edge, forwarder, presence, store and stream, derived from the config: the
/// one place a TOML key meets the component that uses it (names and defaults live in the sections).
/// </summary>
public static class RuntimeOptions
{
    public static EdgeOptions Edge(GatewayConfig c) => new()
    {
        MixListen = c.MixnetEndpoint.ListeningAddress,
        ClientsListen = c.ClientsEndpoint.ListeningAddress,
        Limits = c.Limits,
        Shutdown = c.Shutdown,
        Replay = c.Replay,
        InboxRedrainInterval = c.Cluster.InboxRedrainInterval,
    };

    /// <summary>[debug] is the forwarder's options class, with 0.9.2's other debug keys on top.</summary>
    public static ForwarderOptions Forwarder(GatewayConfig c) => c.Debug;

    /// <param name="unregisterOnShutdown">False on cluster edges: one edge stopping must not delist a gateway whose other edges still serve.</param>
    public static PresenceOptions Presence(GatewayConfig c, GatewayIdentity identity, bool unregisterOnShutdown) => new()
    {
        ValidatorUrl = c.Gateway.ValidatorRestUrl,
        MixAnnounceAddress = c.MixnetEndpoint.AnnounceAddress,
        ClientsAnnounceAddress = c.ClientsEndpoint.AnnounceAddress,
        IdentityKey = identity.Identity.PublicKey.ToBase58(),
        SphinxKey = Base58Text.Encode(identity.Sphinx.PublicKey),
        Version = GatewayConfig.Version,
        Location = c.Gateway.Location,
        IncentivesAddress = c.Gateway.IncentivesAddress,
        Interval = c.Debug.PresenceSendingDelay,
        UnregisterOnShutdown = unregisterOnShutdown,
    };

    public static GatewayStoreOptions Store(GatewayConfig c)
    {
        var sqlitePath = c.Resolve(c.Storage.SqlitePath);
        if (!c.UsesPostgres)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(sqlitePath)!);
        }
        return new GatewayStoreOptions
        {
            Provider = c.UsesPostgres ? StoreProvider.Postgres : StoreProvider.Sqlite,
            ConnectionString = c.UsesPostgres ? c.Storage.PostgresConnectionString : $"Data Source={sqlitePath}",
            Retention = c.Storage,
            Replay = c.Replay,
        };
    }

    public static NotificationStreamOptions Streams(GatewayConfig c) =>
        new() { PollPeriod = c.Cluster.StreamPollPeriod, QueueCount = c.Cluster.StreamQueueCount };

    /// <summary>The admin endpoint, or null when [admin] listening_address is empty (validated before).</summary>
    public static IPEndPoint? Admin(GatewayConfig c) =>
        ConfigValues.TryParseEndPoint(c.Admin.ListeningAddress, out var endPoint) ? endPoint : null;
}
