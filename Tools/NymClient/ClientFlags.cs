using System.CommandLine;
using NymGateway.Mixnet;

namespace NymGateway.Tools.NymClient;

/// <summary>The client's flags; the timing ones are 0.9.2's [debug] settings, in milliseconds.</summary>
public sealed class ClientFlags
{
    private static readonly MixnetClientOptions Defaults = new();

    public Option<string> Id { get; } = new("--id") { Description = "Id of the nym-client", Required = true };
    public Option<string> Gateway { get; } = new("--gateway") { Description = "Id (base58 identity) of the gateway to register with", Required = true };
    public Option<string> Topology { get; } = new("--topology") { Description = "JSON file listing the mix nodes and gateways (nym-localnet up writes one)", Required = true };
    public Option<string?> TopologyOverride { get; } = new("--topology") { Description = "Another topology file than the one `init` saved" };
    public Option<int> AveragePacketDelay { get; } = Milliseconds("--average-packet-delay-ms", "Average delay a packet gets at each hop", Defaults.AveragePacketDelay);
    public Option<int> AverageAckDelay { get; } = Milliseconds("--average-ack-delay-ms", "Average delay an ACK gets at each hop", Defaults.AverageAckDelay);
    public Option<int> AckWaitAddition { get; } = Milliseconds("--ack-wait-addition-ms", "Added to the expected delay before a fragment is retransmitted", Defaults.AckWaitAddition);
    public Option<double> AckWaitMultiplier { get; } = new("--ack-wait-multiplier")
    {
        Description = "The expected delay of a packet and its ACK is multiplied by this before a fragment is retransmitted",
        DefaultValueFactory = _ => Defaults.AckWaitMultiplier,
    };

    public MixnetClientOptions Read(ParseResult result) => new()
    {
        AveragePacketDelay = TimeSpan.FromMilliseconds(result.GetValue(AveragePacketDelay)),
        AverageAckDelay = TimeSpan.FromMilliseconds(result.GetValue(AverageAckDelay)),
        AckWaitAddition = TimeSpan.FromMilliseconds(result.GetValue(AckWaitAddition)),
        AckWaitMultiplier = result.GetValue(AckWaitMultiplier),
    };

    private static Option<int> Milliseconds(string name, string description, TimeSpan value) =>
        new(name) { Description = description, DefaultValueFactory = _ => (int)value.TotalMilliseconds };
}
