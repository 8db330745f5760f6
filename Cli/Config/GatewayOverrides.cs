using System.Net;
using NymGateway.Cli.Config.Sections;

namespace NymGateway.Cli.Config;

/// <summary>Command-line values that override the config, applied with 0.9.2's rules (override_config).</summary>
public sealed record GatewayOverrides
{
    public string? MixHost { get; init; }
    public int? MixPort { get; init; }
    public string? ClientsHost { get; init; }
    public int? ClientsPort { get; init; }
    public string? MixAnnounceHost { get; init; }
    public int? MixAnnouncePort { get; init; }
    public string? ClientsAnnounceHost { get; init; }
    public int? ClientsAnnouncePort { get; init; }
    public string? Inboxes { get; init; }
    public string? ClientsLedger { get; init; }
    public string? Validator { get; init; }
    public string? Location { get; init; }
    public string? IncentivesAddress { get; init; }
    public string? Database { get; init; }
    public string? ClusterId { get; init; }
    public int? SiloPort { get; init; }
    public int? GatewayPort { get; init; }

    /// <summary>Applies the overrides; throws <see cref="ArgumentException"/> naming the flag of a bad value.</summary>
    public void ApplyTo(GatewayConfig c)
    {
        var mix = c.MixnetEndpoint;
        var clients = c.ClientsEndpoint;
        // As in 0.9.2 a new listening host is announced too, unless the announce address was set to something of its own.
        bool mixAnnounceFollows = MixHost is not null && FollowsListening(mix.AnnounceAddress, mix.ListeningAddress.ToString(), new MixnetEndpointSection().AnnounceAddress);
        bool clientsAnnounceFollows = ClientsHost is not null
            && FollowsListening(clients.AnnounceAddress, $"ws://{clients.ListeningAddress}", new ClientsEndpointSection().AnnounceAddress);

        if (MixHost is not null)
        {
            mix.ListeningAddress = WithHost(mix.ListeningAddress, MixHost, "--mix-host");
        }
        if (MixPort is { } mixPort)
        {
            mix.ListeningAddress = new IPEndPoint(mix.ListeningAddress.Address, mixPort);
        }
        if (ClientsHost is not null)
        {
            clients.ListeningAddress = WithHost(clients.ListeningAddress, ClientsHost, "--clients-host");
        }
        if (ClientsPort is { } clientsPort)
        {
            clients.ListeningAddress = new IPEndPoint(clients.ListeningAddress.Address, clientsPort);
        }

        if (MixAnnounceHost is not null)
        {
            mix.AnnounceAddress = MixAnnounceHost.Contains(':', StringComparison.Ordinal) ? MixAnnounceHost : $"{MixAnnounceHost}:{mix.ListeningAddress.Port}";
        }
        else if (mixAnnounceFollows)
        {
            mix.AnnounceAddress = mix.ListeningAddress.ToString();
        }
        if (MixAnnouncePort is { } mixAnnouncePort)
        {
            mix.AnnounceAddress = WithPort(mix.AnnounceAddress, mixAnnouncePort);
        }

        if (ClientsAnnounceHost is not null)
        {
            var host = ClientsAnnounceHost.Contains("://", StringComparison.Ordinal) ? ClientsAnnounceHost : "ws://" + ClientsAnnounceHost;
            clients.AnnounceAddress = host.LastIndexOf(':') > host.IndexOf("://", StringComparison.Ordinal) ? host : $"{host}:{clients.ListeningAddress.Port}";
        }
        else if (clientsAnnounceFollows)
        {
            clients.AnnounceAddress = $"ws://{clients.ListeningAddress}";
        }
        if (ClientsAnnouncePort is { } clientsAnnouncePort)
        {
            clients.AnnounceAddress = WithPort(clients.AnnounceAddress, clientsAnnouncePort);
        }

        c.Gateway.ValidatorRestUrl = Validator ?? c.Gateway.ValidatorRestUrl;
        c.Gateway.Location = Location ?? c.Gateway.Location;
        c.Gateway.IncentivesAddress = IncentivesAddress ?? c.Gateway.IncentivesAddress;
        clients.InboxesDirectory = Inboxes ?? clients.InboxesDirectory;
        clients.LedgerPath = ClientsLedger ?? clients.LedgerPath;
        c.Cluster.ClusterId = ClusterId ?? c.Cluster.ClusterId;
        c.Cluster.SiloPort = SiloPort ?? c.Cluster.SiloPort;
        c.Cluster.GatewayPort = GatewayPort ?? c.Cluster.GatewayPort;
        if (Database == StorageSection.Sqlite)
        {
            c.Storage.Database = StorageSection.Sqlite;
        }
        else if (Database is not null)
        {
            c.Storage.Database = StorageSection.Postgres;
            c.Storage.PostgresConnectionString = Database;
        }
    }

    /// <summary>An announce address nobody chose: the default, or the one derived from the listening address.</summary>
    private static bool FollowsListening(string announce, string derived, string defaultAnnounce) => announce == derived || announce == defaultAnnounce;

    private static IPEndPoint WithHost(IPEndPoint current, string host, string flag)
    {
        if (host.Contains(':', StringComparison.Ordinal) && !host.StartsWith("::", StringComparison.Ordinal) && ConfigValues.TryParseEndPoint(host, out var endPoint))
        {
            return endPoint;
        }
        if (IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            return new IPEndPoint(address, current.Port);
        }
        throw new ArgumentException($"{flag}: '{host}' is neither an IP address nor an ip:port socket address");
    }

    private static string WithPort(string announce, int port)
    {
        int scheme = announce.IndexOf("://", StringComparison.Ordinal);
        int colon = announce.LastIndexOf(':');
        var host = colon > (scheme < 0 ? -1 : scheme + 2) && !announce.EndsWith(']') ? announce[..colon] : announce;
        return $"{host}:{port}";
    }
}
