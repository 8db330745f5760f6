using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NymGateway.EdgeHost.Telemetry;
using NymGateway.Grains;
using NymGateway.Nym.GatewayRequests;
using Orleans.Streams;

namespace NymGateway.EdgeHost.Clients;

/// <summary>
/// Moves one authenticated client's messages from its inbox to its websocket, oldest first:
/// the stored backlog on start, new arrivals from the inbox stream, and a full re-read of the
/// store whenever the cluster's silos change and on an interval (so a notification lost with a
/// silo only delays a message). A message
/// is acknowledged, and so deleted, only after its websocket send completed.
/// </summary>
public sealed class InboxPump(
    string client,
    Guid session,
    SharedKeys keys,
    WebSocketChannel socket,
    IClusterClient cluster,
    EdgeOptions options,
    GatewayMetrics metrics,
    ClusterChangeSignal clusterChanges,
    TimeProvider time,
    ILogger logger)
{
    private readonly Channel<InboxEvent> _events = Channel.CreateBounded<InboxEvent>(new BoundedChannelOptions(64) { SingleReader = true });
    private readonly IInboxGrain _inbox = cluster.GetGrain<IInboxGrain>(client);
    private readonly ClientAddressPrefix _logName = new(client);
    private readonly HashSet<long> _seen = [];
    private readonly List<(Task<bool> Done, long[] Ids)> _acks = [];
    private volatile bool _drainRequested = true;
    private volatile bool _resubscribeRequested;
    private Task<StreamSubscriptionHandle<InboxEvent>> _subscribing = Task.FromCanceled<StreamSubscriptionHandle<InboxEvent>>(new CancellationToken(true));
    private long _highestPushed;

    /// <summary>Set when a newer session of the same client took over; the session then closes.</summary>
    public bool TakenOver { get; private set; }

    /// <summary>
    /// Runs until <paramref name="stop"/> (checked between pushes, so a push under way completes and
    /// is acknowledged) or another session takes over; <paramref name="abort"/> also ends a send.
    /// </summary>
    public async Task RunAsync(CancellationToken stop, CancellationToken abort)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stop);
        _subscribing = SubscribeAsync(stopping.Token);
        clusterChanges.Changed += RequestDrain;
        clusterChanges.Reconnected += RequestResubscribe;
        try
        {
            while (!stop.IsCancellationRequested && !TakenOver)
            {
                if (_resubscribeRequested)
                {
                    _resubscribeRequested = false;
                    Resubscribe(stopping.Token);
                }
                if (_drainRequested)
                {
                    _drainRequested = false;
                    await RetryingAsync(() => DrainAsync(stop, abort), stop);
                    continue;
                }
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
                // Until the stream subscription stands, the store is read every second.
                wait.CancelAfter(_subscribing.IsCompletedSuccessfully ? options.InboxRedrainInterval : TimeSpan.FromSeconds(1));
                try
                {
                    await _events.Reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    // Quiet for a while: re-assert the session (which also catches a missed take-over) and re-read the store.
                    await RetryingAsync(async () => TakenOver = !await cluster.GetGrain<IClientGrain>(client).Heartbeat(session), stop);
                    _drainRequested = true;
                    continue;
                }
                while (!_drainRequested && !TakenOver && !stop.IsCancellationRequested && _events.Reader.TryRead(out var inboxEvent))
                {
                    await HandleAsync(inboxEvent, abort);
                }
            }
        }
        finally
        {
            clusterChanges.Changed -= RequestDrain;
            clusterChanges.Reconnected -= RequestResubscribe;
            await stopping.CancelAsync();
            if (await _subscribing.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null, TaskScheduler.Default) is { } subscription)
            {
                await UnsubscribeAsync(subscription);
            }
            await Task.WhenAll(_acks.Select(a => a.Done)).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Subscribes to the client's inbox stream, retrying while the cluster cannot take it; a drain follows.</summary>
    private async Task<StreamSubscriptionHandle<InboxEvent>> SubscribeAsync(CancellationToken cancellationToken)
    {
        var stream = cluster.GetStreamProvider(InboxStreams.Provider)
            .GetStream<InboxEvent>(StreamId.Create(InboxStreams.Namespace, client));
        while (true)
        {
            try
            {
                var handle = await stream.SubscribeAsync(OnEventAsync, OnStreamErrorAsync).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
                RequestDrain();
                return handle;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.SubscribeFailed(_logName, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Replaces a subscription the cluster may have dropped while this edge was cut off. The old
    /// one is removed afterwards (if it still exists); an event both deliver is pushed once.
    /// </summary>
    private void Resubscribe(CancellationToken cancellationToken)
    {
        if (!_subscribing.IsCompleted)
        {
            return; // still subscribing: that subscription is a fresh one
        }
        var old = _subscribing;
        _subscribing = SubscribeAsync(cancellationToken);
        if (old.IsCompletedSuccessfully)
        {
            _ = _subscribing.ContinueWith(_ => UnsubscribeAsync(old.Result), TaskScheduler.Default).Unwrap();
        }
    }

    private void RequestResubscribe()
    {
        _resubscribeRequested = true;
        RequestDrain();
    }

    /// <summary>Runs a store or grain step; a failure (silo or database gone) is logged and the step retried on the next round.</summary>
    private async Task RetryingAsync(Func<Task> step, CancellationToken cancellationToken)
    {
        try
        {
            await step();
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not WebSocketException && ex is not ObjectDisposedException)
        {
            logger.DeliveryPaused(_logName, ex.Message);
            _drainRequested = true;
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    private void RequestDrain()
    {
        _drainRequested = true;
        _events.Writer.TryWrite(WakeUp);
    }

    /// <summary>An empty event: only wakes the pump so it sees a requested drain.</summary>
    private static readonly InboxEvent WakeUp = new([]);

    private Task OnEventAsync(InboxEvent inboxEvent, StreamSequenceToken? token)
    {
        if (!_events.Writer.TryWrite(inboxEvent))
        {
            // The socket is slower than arrivals: the store still has everything, read it later.
            _drainRequested = true;
        }
        return Task.CompletedTask;
    }

    /// <summary>The stream lost notifications for this client (it fell behind): the store has them.</summary>
    private Task OnStreamErrorAsync(Exception error)
    {
        logger.StreamFellBehind(_logName, error.Message);
        RequestDrain();
        return Task.CompletedTask;
    }

    private async Task HandleAsync(InboxEvent inboxEvent, CancellationToken cancellationToken)
    {
        if (inboxEvent.SessionTakenOverBy is { } newer && newer != session)
        {
            logger.ClientConnectedElsewhere(_logName);
            TakenOver = true;
            return;
        }
        await PushAsync(inboxEvent.Messages, fromEvent: true, cancellationToken);
    }

    /// <summary>
    /// Re-reads every stored message. Ids whose acknowledgement is still under way stay marked as
    /// seen (so they are not pushed twice); the drain never waits for them, so a slow or failing
    /// database delete cannot hold up deliveries.
    /// </summary>
    private async Task DrainAsync(CancellationToken stop, CancellationToken abort)
    {
        _acks.RemoveAll(ack =>
        {
            if (!ack.Done.IsCompleted)
            {
                return false;
            }
            if (ack.Done.Result)
            {
                _seen.ExceptWith(ack.Ids);
            }
            return true;
        });

        long after = 0;
        while (!stop.IsCancellationRequested)
        {
            var page = await _inbox.Read(after, options.InboxPageSize);
            await PushAsync(page, fromEvent: false, abort);
            if (page.Length < options.InboxPageSize)
            {
                return;
            }
            after = page[^1].Id;
        }
    }

    /// <param name="fromEvent">
    /// A client's messages carry increasing ids and its events arrive in order, so an event message
    /// at or below the highest id already pushed was pushed (by a drain that ran ahead of the event).
    /// </param>
    private async Task PushAsync(InboxMessage[] messages, bool fromEvent, CancellationToken cancellationToken)
    {
        var sent = new List<long>(messages.Length);
        foreach (var message in messages)
        {
            if ((fromEvent && message.Id <= _highestPushed) || !_seen.Add(message.Id))
            {
                continue;
            }
            _highestPushed = Math.Max(_highestPushed, message.Id);
            int length = SharedKeys.TaggedLength(message.Content.Length);
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                BinaryMessages.SealPushedMessage(keys, message.Content, buffer.AsSpan(0, length));
                await socket.SendAsync(buffer.AsMemory(0, length), WebSocketMessageType.Binary, cancellationToken);
                double seconds = (time.GetUtcNow().ToUnixTimeMilliseconds() - message.ReceivedAt) / 1000.0; // the clock that stamped ReceivedAt
                metrics.PushDuration.Record(seconds, fromEvent ? GatewayMetrics.FromStream : GatewayMetrics.FromStore);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            sent.Add(message.Id);
        }
        if (sent.Count > 0)
        {
            metrics.MessagesPushed.Add(sent.Count);
            var ids = sent.ToArray();
            _acks.Add((AcknowledgeAsync(ids), ids));
        }
    }

    /// <summary>Deletes pushed messages; on failure they stay stored (and marked seen, so they are not pushed twice).</summary>
    private async Task<bool> AcknowledgeAsync(long[] ids)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await _inbox.Acknowledge(ids);
                return true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && attempt < 5)
            {
                logger.AcknowledgeFailed(ex, ids.Length, _logName, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                logger.AcknowledgeGivenUp(ex, ids.Length, _logName);
                return false;
            }
        }
    }

    private async Task UnsubscribeAsync(StreamSubscriptionHandle<InboxEvent> subscription)
    {
        try
        {
            await subscription.UnsubscribeAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.UnsubscribeFailed(ex, _logName);
        }
    }
}
