using System.Net;

namespace NymGateway.Mixnet;

/// <param name="Listen">Where mix nodes, clients' gateways and gateways connect.</param>
/// <param name="SphinxPrivateKey">The node's x25519 Sphinx key.</param>
/// <param name="MaxDelay">The longest a packet waits here, whatever its header asks (its delay is exponential with no bound).</param>
/// <param name="DropAckPackets">ACK-sized packets to drop before forwarding any (tests of the sender's retransmission).</param>
public sealed record MixNodeOptions(IPEndPoint Listen, byte[] SphinxPrivateKey, TimeSpan MaxDelay, int DropAckPackets = 0)
{
    /// <summary>The cap `nym-mixnode run` and the localnet use unless told otherwise.</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromMilliseconds(200);
}
