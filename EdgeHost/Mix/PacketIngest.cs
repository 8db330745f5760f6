using Orleans.Concurrency;
using System.Buffers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NymGateway.EdgeHost.Forwarding;
using NymGateway.EdgeHost.Telemetry;
using NymGateway.Grains;
using NymGateway.Nym.Encoding;
using NymGateway.Nym.Forwarding;
using NymGateway.Nym.Framing;
using NymGateway.Nym.Gateway;
using NymGateway.Nym.Sphinx;

namespace NymGateway.EdgeHost.Mix;

/// <summary>
/// Turns a batch of packets from the mixnet into committed inbox messages: final-hop Sphinx
/// processing on all cores, one grain call per destination client, SURB-ACKs forwarded once the
/// messages are durable. A failed delivery is retried until the host stops, so the mix
/// connection only moves on once its packets are stored.
/// </summary>
public sealed class PacketIngest(
    GatewayIdentity identity,
    IGrainFactory grains,
    MixPacketForwarder forwarder,
    GatewayMetrics metrics,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<PacketIngest> logger)
{
    private readonly FinalHopProcessor _processor = new(new SphinxNode(identity.Sphinx.Secret));
    private readonly LogThrottle _badPacketLog = new(logger, "Dropped packets from the mixnet", time);
    private readonly LogThrottle _deliveryLog = new(logger, "Failed inbox deliveries", time);

    public async Task IngestAsync(IReadOnlyList<ReceivedPacket> packets)
    {
        metrics.PacketsReceived.Add(packets.Count);
        long receivedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
        var processed = await UnwrapAsync(packets);

        var byClient = new Dictionary<string, (List<byte[]> Messages, List<MixPacket> Acks)>();
        foreach (var hop in processed)
        {
            if (hop is null)
            {
                continue;
            }
            var client = Base58Text.Encode(hop.Destination);
            if (!byClient.TryGetValue(client, out var group))
            {
                byClient[client] = group = ([], []);
            }
            group.Messages.Add(hop.Message);
            if (hop.ForwardAck is not null)
            {
                group.Acks.Add(hop.ForwardAck);
            }
        }

        await Task.WhenAll(byClient.Select(pair => DeliverAsync(pair.Key, pair.Value.Messages, pair.Value.Acks, receivedAt)));
    }

    /// <summary>
    /// Unwraps the batch in one chunk per core. The chunks are queued work items, never a
    /// blocking Parallel.For, so mix connections and Orleans do not starve the thread pool.
    /// </summary>
    private async Task<ProcessedFinalHop?[]> UnwrapAsync(IReadOnlyList<ReceivedPacket> packets)
    {
        var results = new ProcessedFinalHop?[packets.Count];
        int chunks = Math.Min(Environment.ProcessorCount, packets.Count);
        if (chunks <= 1)
        {
            UnwrapRange(packets, results, 0, packets.Count);
            return results;
        }
        int size = (packets.Count + chunks - 1) / chunks;
        var work = new Task[chunks];
        for (int c = 0; c < chunks; c++)
        {
            int start = c * size;
            int end = Math.Min(packets.Count, start + size);
            work[c] = Task.Run(() => UnwrapRange(packets, results, start, end));
        }
        await Task.WhenAll(work).ConfigureAwait(false);
        return results;
    }

    private void UnwrapRange(IReadOnlyList<ReceivedPacket> packets, ProcessedFinalHop?[] results, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            results[i] = UnwrapOne(packets[i], ArrayPool<byte>.Shared);
        }
    }

    private ProcessedFinalHop? UnwrapOne(ReceivedPacket packet, ArrayPool<byte> pool)
    {
        var scratch = pool.Rent(packet.Length);
        try
        {
            if (_processor.TryProcess(packet.Size, packet.Mode, packet.Span, scratch, out var result, out var error))
            {
                return result;
            }
            metrics.PacketsDropped.Add(1, new KeyValuePair<string, object?>("reason", error!.Kind.ToString()));
            if (_badPacketLog.TryEnter())
            {
                logger.PacketDropped(packet.Size, error);
            }
            return null;
        }
        finally
        {
            pool.Return(scratch);
        }
    }

    private async Task DeliverAsync(string client, List<byte[]> messages, List<MixPacket> acks, long receivedAt)
    {
        var inbox = grains.GetGrain<IInboxGrain>(client);
        var backoff = TimeSpan.FromMilliseconds(50);
        var deliveryId = Guid.NewGuid();
        while (true)
        {
            try
            {
                var result = await inbox.Deliver(deliveryId, new Immutable<byte[][]>([.. messages]), receivedAt);
                metrics.MessagesStored.Add(result.Stored);
                if (result.Refused > 0)
                {
                    metrics.PacketsDropped.Add(result.Refused, new KeyValuePair<string, object?>("reason", "InboxRefused"));
                }
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && !lifetime.ApplicationStopping.IsCancellationRequested)
            {
                if (_deliveryLog.TryEnter())
                {
                    logger.DeliveryFailed(ex, messages.Count, new ClientAddressPrefix(client), backoff);
                }
                await Task.Delay(backoff, lifetime.ApplicationStopping).ConfigureAwait(false);
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 5000));
            }
        }
        foreach (var ack in acks)
        {
            forwarder.Forward(ack);
        }
    }
}
