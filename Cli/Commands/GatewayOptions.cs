using System.CommandLine;
using NymGateway.Cli.Config;

namespace NymGateway.Cli.Commands;

/// <summary>The flags 0.9.2's init and run share, plus ours; they become <see cref="GatewayOverrides"/>.</summary>
public sealed class GatewayOptions
{
    public Option<string> Id { get; } = new("--id") { Description = "Id of the gateway we want to run", Required = true };
    public Option<string?> Location { get; } = new("--location") { Description = "Optional geographical location of this gateway" };
    public Option<string?> MixHost { get; } = new("--mix-host") { Description = "The custom host on which the gateway will be running for receiving sphinx packets" };
    public Option<int?> MixPort { get; } = FlagParsers.Port("--mix-port", "The port on which the gateway will be listening for sphinx packets");
    public Option<string?> ClientsHost { get; } = new("--clients-host") { Description = "The custom host on which the gateway will be running for receiving clients gateway-requests" };
    public Option<int?> ClientsPort { get; } = FlagParsers.Port("--clients-port", "The port on which the gateway will be listening for clients gateway-requests");
    public Option<string?> MixAnnounceHost { get; } = FlagParsers.Validated("--mix-announce-host", "The host that will be reported to the directory server",
        h => ConfigValues.IsHost(h) || ConfigValues.IsMixAnnounce(h), "a host name, an IP address or host:port");
    public Option<int?> MixAnnouncePort { get; } = FlagParsers.Port("--mix-announce-port", "The port that will be reported to the directory server");
    public Option<string?> ClientsAnnounceHost { get; } = FlagParsers.Validated("--clients-announce-host", "The host that will be reported to the directory server",
        h => ConfigValues.IsHost(h) || ConfigValues.IsMixAnnounce(h) || ConfigValues.IsClientsAnnounce(h), "a host name, an IP address, host:port or a ws:// address");
    public Option<int?> ClientsAnnouncePort { get; } = FlagParsers.Port("--clients-announce-port", "The port that will be reported to the directory server");
    public Option<string?> Inboxes { get; } = new("--inboxes") { Description = "Kept for 0.9.2: inboxes now live in the database ([storage])" };
    public Option<string?> ClientsLedger { get; } = new("--clients-ledger") { Description = "Kept for 0.9.2: the client ledger now lives in the database ([storage])" };
    public Option<string?> Validator { get; } = FlagParsers.Validated("--validator", "REST endpoint of the validator the node is registering presence with",
        ConfigValues.IsValidatorUrl, "an absolute http or https URL (\"\" turns presence off)");
    public Option<string?> Database { get; } = new("--database") { Description = "'sqlite' (default) or a PostgreSQL connection string; overrides NYM_GATEWAY_DATABASE" };
    public Option<string?> ClusterId { get; } = new("--cluster-id") { Description = "Orleans cluster id shared by the silos and edges of this gateway" };
    public Option<int?> SiloPort { get; } = FlagParsers.Port("--silo-port", "Orleans silo-to-silo port");
    public Option<int?> GatewayPort { get; } = FlagParsers.Port("--gateway-port", "Orleans gateway port, where edges reach the silo");

    public void AddTo(Command command, bool requireHosts = false)
    {
        MixHost.Required = requireHosts;
        ClientsHost.Required = requireHosts;
        foreach (var option in new Option[] { Id, Location, MixHost, MixPort, ClientsHost, ClientsPort, MixAnnounceHost, MixAnnouncePort,
                     ClientsAnnounceHost, ClientsAnnouncePort, Inboxes, ClientsLedger, Validator, Database, ClusterId, SiloPort, GatewayPort })
        {
            command.Options.Add(option);
        }
    }

    public GatewayOverrides Read(ParseResult result) => new()
    {
        Location = result.GetValue(Location),
        MixHost = result.GetValue(MixHost),
        MixPort = result.GetValue(MixPort),
        ClientsHost = result.GetValue(ClientsHost),
        ClientsPort = result.GetValue(ClientsPort),
        MixAnnounceHost = result.GetValue(MixAnnounceHost),
        MixAnnouncePort = result.GetValue(MixAnnouncePort),
        ClientsAnnounceHost = result.GetValue(ClientsAnnounceHost),
        ClientsAnnouncePort = result.GetValue(ClientsAnnouncePort),
        Inboxes = result.GetValue(Inboxes),
        ClientsLedger = result.GetValue(ClientsLedger),
        Validator = result.GetValue(Validator),
        Database = result.GetValue(Database),
        ClusterId = result.GetValue(ClusterId),
        SiloPort = result.GetValue(SiloPort),
        GatewayPort = result.GetValue(GatewayPort),
    };
}
