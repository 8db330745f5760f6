using System.Net;

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

    /// <summary>Applies the overrides; throws <see cref="ArgumentException"/> naming the bad value.</summary>
    public void ApplyTo(GatewayConfig c)
    {
        if (MixHost is not null)
        {
            c.MixListeningAddress = WithHost(c.MixListeningAddress, MixHost, "--mix-host");
        }
        if (MixPort is { } mixPort)
        {
            c.MixListeningAddress = new IPEndPoint(c.MixListeningAddress.Address, mixPort);
        }
        if (ClientsHost is not null)
        {
            c.ClientsListeningAddress = WithHost(c.ClientsListeningAddress, ClientsHost, "--clients-host");
        }
        if (ClientsPort is { } clientsPort)
        {
            c.ClientsListeningAddress = new IPEndPoint(c.ClientsListeningAddress.Address, clientsPort);
        }

        if (MixAnnounceHost is not null)
        {
            c.MixAnnounceAddress = MixAnnounceHost.Contains(':', StringComparison.Ordinal) ? MixAnnounceHost : $"{MixAnnounceHost}:{c.MixListeningAddress.Port}";
        }
        else if (MixHost is not null)
        {
            c.MixAnnounceAddress = c.MixListeningAddress.ToString();
        }
        if (MixAnnouncePort is { } mixAnnouncePort)
        {
            c.MixAnnounceAddress = WithPort(c.MixAnnounceAddress, mixAnnouncePort);
        }

        if (ClientsAnnounceHost is not null)
        {
            var host = ClientsAnnounceHost.Contains("://", StringComparison.Ordinal) ? ClientsAnnounceHost : "ws://" + ClientsAnnounceHost;
            c.ClientsAnnounceAddress = host.LastIndexOf(':') > host.IndexOf("://", StringComparison.Ordinal) ? host : $"{host}:{c.ClientsListeningAddress.Port}";
        }
        else if (ClientsHost is not null)
        {
            c.ClientsAnnounceAddress = $"ws://{c.ClientsListeningAddress}";
        }
        if (ClientsAnnouncePort is { } clientsAnnouncePort)
        {
            c.ClientsAnnounceAddress = WithPort(c.ClientsAnnounceAddress, clientsAnnouncePort);
        }

        c.ValidatorRestUrl = Validator ?? c.ValidatorRestUrl;
        c.InboxesDirectory = Inboxes ?? c.InboxesDirectory;
        c.LedgerPath = ClientsLedger ?? c.LedgerPath;
        c.Location = Location ?? c.Location;
        c.IncentivesAddress = IncentivesAddress ?? c.IncentivesAddress;
        c.ClusterId = ClusterId ?? c.ClusterId;
        c.SiloPort = SiloPort ?? c.SiloPort;
        c.GatewayPort = GatewayPort ?? c.GatewayPort;
        if (Database is not null)
        {
            if (Database == "sqlite")
            {
                c.Database = "sqlite";
            }
            else
            {
                c.Database = "postgres";
                c.PostgresConnectionString = Database;
            }
        }
    }

    private static IPEndPoint WithHost(IPEndPoint current, string host, string flag)
    {
        if (IPEndPoint.TryParse(host, out var endPoint) && host.Contains(':', StringComparison.Ordinal) && !host.StartsWith("::", StringComparison.Ordinal))
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
