using NymGateway.EdgeHost.Forwarding;
using NymGateway.EdgeHost.Resilience;
using NymGateway.EdgeHost.Telemetry;
using NymGateway.Grains;
using NymGateway.Nym.Encoding;
using NymGateway.Nym.Framing;
using NymGateway.Nym.Gateway;
using NymGateway.Nym.Replay;
using NymGateway.Nym.Sphinx;
using Orleans.Concurrency;
using Polly;

namespace NymGateway.EdgeHost.Mix;

/// <summary>
/// Turns a batch of packets from the mixnet into inbox messages: final-hop Sphinx processing on
/// all cores, one grain call per destination client, SURB-ACKs forwarded once the messages are
/// delivered or durable (waiting while their hop's queue is full). A failed delivery is retried
/// until the host stops, so the mix connection's window only moves on once its packets are stored. Replays
/// are dropped, and their SURB-ACKs with them: copies this edge saw by its own filter, copies any
/// edge stored (also before a restart) by the inbox's answer.
/// </summary>
public sealed class PacketIngest(
    GatewayIdentity identity,
    IGrainFactory grains,
    MixPacketForwarder forwarder,
    GatewayMetrics metrics,
    ReplayFilter replays,
    SiloConnectionWatch connections,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<PacketIngest> logger)
{
    private readonly FinalHopProcessor _processor = new(new SphinxNode(identity.Sphinx.Secret));
    private readonly LogThrottle _badPacketLog = new(logger, "Dropped packets from the mixnet", time);
    private readonly LogThrottle _deliveryLog = new(logger, "Failed inbox deliveries", time);
    private readonly LogThrottle _replayLog = new(logger, "Dropped replays", time);
    private static readonly ResiliencePropertyKey<(int Count, ClientAddressPrefix Client)> DeliveryKey = new("delivery");

    /// <summary>
    /// A failed delivery is retried until the host stops, 50 ms doubling to at most a second apart
    /// (jittered), so a delivery resumes within a second of its silo's return.
    /// </summary>
    private ResiliencePipeline DeliveryRetries => field ??= Retries.Build(
        TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1), DelayBackoffType.Exponential,
        handles: ex => ex is not OperationCanceledException && !lifetime.ApplicationStopping.IsCancellationRequested,
        onRetry: args =>
        {
            var ex = args.Outcome.Exception!;
            if (_deliveryLog.TryEnter())
            {
                var (count, client) = args.Context.Properties.GetValue(DeliveryKey, default);
                logger.DeliveryFailed(ex, count, client, args.RetryDelay);
            }
            if (ex is TimeoutException)
            {
                // A connection that heard nothing while this call waited is stalled behind a partition: a fresh one recovers at the heal.
                connections.AbortSilent(ClusterClientExtensions.ResponseTimeout);
            }
        });

    /// <summary>
    /// Polly skips an attempt whose token is already cancelled, but a draining edge still delivers
    /// what it read after stopping began: then no wait can follow (nothing is retried), so no token is needed.
    /// </summary>
    private static CancellationToken FirstAttemptAlwaysRuns(CancellationToken stopping) =>
        stopping.IsCancellationRequested ? CancellationToken.None : stopping;

    /// <summary>
    /// Unwraps a batch on all cores; the packets' buffer is free once this completes.
    /// <see cref="DeliverAsync(UnwrappedBatch, TaskCompletionSource)"/> then delivers it.
    /// </summary>
    public async Task<UnwrappedBatch> UnwrapAsync(ReceivedPacket[] packets)
    {
        metrics.PacketsReceived.Add(packets.Length);
        long receivedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
        return new UnwrappedBatch(await UnwrapInChunksAsync(packets), receivedAt);
    }

    /// <summary>
    /// Drops what this edge's filter saw before (a connection delivers its batches in turn, so the
    /// first copy of a packet is the one kept), then delivers to each destination client: sets
    /// <paramref name="accepted"/> once every inbox numbered its messages (the connection's next
    /// batch may go then, and keeps its order), and completes once every message is delivered or
    /// durable and its SURB-ACK forwarded.
    /// </summary>
    public Task DeliverAsync(UnwrappedBatch batch, TaskCompletionSource accepted)
    {
        var byClient = new Dictionary<string, List<ProcessedFinalHop>>();
        int replayed = 0;
        foreach (var hop in batch.Hops)
        {
            if (hop is null)
            {
                continue;
            }
            // One batch at a time, so of two copies the first received passes, never both.
            var tag = hop.ReplayTag;
            if (!replays.TryAdd(tag))
            {
                replayed++;
                continue;
            }
            var client = Base58Text.Encode(hop.Destination);
            if (!byClient.TryGetValue(client, out var group))
            {
                byClient[client] = group = [];
            }
            group.Add(hop);
        }
        DroppedReplays(replayed, "this edge's filter");
        var accepts = new Task[byClient.Count];
        var deliveries = new Task[byClient.Count];
        int i = 0;
        foreach (var (client, hops) in byClient)
        {
            var inboxAccepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            deliveries[i] = DeliverAsync(client, hops, batch.ReceivedAt, inboxAccepted);
            accepts[i++] = inboxAccepted.Task;
        }
        Task.WhenAll(accepts).ContinueWith(_ => accepted.TrySetResult(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return Task.WhenAll(deliveries);
    }

    private void DroppedReplays(int count, string where)
    {
        if (count == 0)
        {
            return;
        }
        metrics.PacketsDropped.Add(count, GatewayMetrics.Replay);
        if (_replayLog.TryEnter())
        {
            logger.ReplaysDropped(count, where);
        }
    }

    /// <summary>
    /// Unwraps the batch in up to one chunk per core. The chunks are queued work items, never a
    /// blocking Parallel.For, so mix connections and Orleans do not starve the thread pool.
    /// </summary>
    private async Task<ProcessedFinalHop?[]> UnwrapInChunksAsync(ReceivedPacket[] packets)
    {
        var results = new ProcessedFinalHop?[packets.Length];
        var chunks = Chunks(packets.Length, Environment.ProcessorCount);
        if (chunks.Length <= 1)
        {
            UnwrapRange(packets, results, 0, packets.Length);
            return results;
        }
        var work = new Task[chunks.Length];
        for (int c = 0; c < chunks.Length; c++)
        {
            var (start, length) = chunks[c].GetOffsetAndLength(packets.Length);
            work[c] = Task.Run(() => UnwrapRange(packets, results, start, start + length));
        }
        await Task.WhenAll(work).ConfigureAwait(false);
        return results;
    }

    /// <summary>
    /// A batch's chunks, at most one per core and none empty: spread over the cores, but no thinner
    /// than a Sphinx batch where the cores outnumber the batches, so each chunk fills its vector lanes.
    /// </summary>
    public static Range[] Chunks(int packets, int cores)
    {
        if (packets <= 0)
        {
            return [];
        }
        int count = Math.Clamp((packets + SphinxNode.BatchSize - 1) / SphinxNode.BatchSize, 1, Math.Max(1, cores));
        var chunks = new Range[count];
        for (int c = 0; c < count; c++)
        {
            // even shares, one packet apart at most
            chunks[c] = new Range((int)((long)c * packets / count), (int)((long)(c + 1) * packets / count));
        }
        return chunks;
    }

    private void UnwrapRange(ReceivedPacket[] packets, ProcessedFinalHop?[] results, int start, int end)
    {
        var errors = new GatewayProcessingError?[end - start];
        _processor.ProcessBatch(packets.AsSpan(start, end - start), results.AsSpan(start, end - start), errors);
        for (int i = 0; i < errors.Length; i++)
        {
            if (errors[i] is not { } error)
            {
                continue;
            }
            metrics.PacketsDropped.Add(1, new KeyValuePair<string, object?>("reason", error.Kind.ToString()));
            if (_badPacketLog.TryEnter())
            {
                logger.PacketDropped(packets[start + i].Size, error);
            }
        }
    }

    private static async Task<bool> NumberedAsync(IInboxGrain inbox, Guid deliveryId)
    {
        try
        {
            return await inbox.Numbered(deliveryId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }

    /// <summary>
    /// One call delivers (and is retried until the messages are delivered or durable); one beside it
    /// sets <paramref name="accepted"/> once the inbox numbered them. Then the SURB-ACKs go.
    /// </summary>
    private async Task DeliverAsync(string client, List<ProcessedFinalHop> hops, long receivedAt, TaskCompletionSource accepted)
    {
        var inbox = grains.GetGrain<IInboxGrain>(client);
        var messages = new byte[hops.Count][];
        var tags = new byte[hops.Count * SphinxConstants.ReplayTagSize];
        for (int i = 0; i < hops.Count; i++)
        {
            messages[i] = hops[i].Message;
            var tag = hops[i].ReplayTag;
            ((ReadOnlySpan<byte>)tag).CopyTo(tags.AsSpan(i * SphinxConstants.ReplayTagSize));
        }
        // Kept across retries: by this id the inbox and the store tell a retry of a committed delivery from a replay.
        var deliveryId = Guid.NewGuid();
        var context = ResilienceContextPool.Shared.Get(FirstAttemptAlwaysRuns(lifetime.ApplicationStopping));
        context.Properties.Set(DeliveryKey, (messages.Length, new ClientAddressPrefix(client)));
        var contents = new Immutable<byte[][]>(messages);
        var replayTags = new Immutable<byte[]>(tags);
        DeliveryResult result;
        try
        {
            var delivering = DeliveryRetries.ExecuteAsync(async _ => await inbox.Deliver(deliveryId, contents, replayTags, receivedAt), context).AsTask();
            try
            {
                if (!await NumberedAsync(inbox, deliveryId))
                {
                    // Failed (its silo went, say): the next batch waits for the retries, or it would be numbered first.
                    await ((Task)delivering).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
            finally
            {
                accepted.TrySetResult();
            }
            result = await delivering;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
        metrics.MessagesStored.Add(result.Stored);
        if (result.Refused > 0)
        {
            metrics.PacketsDropped.Add(result.Refused, new KeyValuePair<string, object?>("reason", "InboxRefused"));
        }
        var replayed = result.Replayed ?? [];
        DroppedReplays(replayed.Length, "the cluster's store");
        // Waiting for room here holds the mix connection's pipe: back-pressure to the mix node, not dropped ACKs.
        for (int i = 0; i < hops.Count; i++)
        {
            if (hops[i].ForwardAck is { } ack && Array.IndexOf(replayed, i) < 0)
            {
                await forwarder.ForwardAsync(ack);
            }
        }
    }
}

/// <summary>A batch's final hops in the order received (null where a packet was dropped), and when the edge received them (unix milliseconds).</summary>
public sealed record UnwrappedBatch(ProcessedFinalHop?[] Hops, long ReceivedAt);
