using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using NymGateway.EdgeHost.Resilience;
using NymGateway.EdgeHost.Telemetry;
using NymGateway.Grains;
using NymGateway.Nym.GatewayRequests;
using Polly;

namespace NymGateway.EdgeHost.Clients;

/// <summary>How an inbox pump ended.</summary>
public enum InboxPumpEnd
{
    /// <summary>Its stop token was cancelled (the connection ended or the gateway stops).</summary>
    Stopped,

    /// <summary>The inbox stream said a newer session of the client took over.</summary>
    TakenOver,
}

/// <summary>
/// Moves one authenticated client's messages from its inbox to its websocket, oldest first. One
/// loop reads one channel of signals in the order they happened: drain the store (on start, once
/// subscribed, when the cluster's silos change, when the stream lost notifications, and on a
/// timer as the safety net), push an event's messages, subscribe again. A message is
/// acknowledged, and so deleted, only after its websocket send completed.
/// </summary>
public sealed class InboxPump(
    string client,
    Guid session,
    SharedKeys keys,
    WebSocketChannel socket,
    IInboxGrain inbox,
    IInboxNotifications notifications,
    EdgeOptions options,
    GatewayMetrics metrics,
    ClusterChangeSignal clusterChanges,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>Events queued beyond this mean the socket is slower than arrivals: the store has them, a drain reads them.</summary>
    private const int MaxQueuedEvents = 64;

    /// <summary>How often the store is read until a subscription stands.</summary>
    private static readonly TimeSpan UnsubscribedDrainPeriod = TimeSpan.FromSeconds(1);

    private readonly Channel<PumpSignal> _signals = Channel.CreateUnbounded<PumpSignal>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ClientAddressPrefix _logName = new(client);
    private readonly PushLedger _ledger = new(inbox, new ClientAddressPrefix(client), time, logger);

    /// <summary>Subscribing retries about a second apart (jittered) until the session stops; a cancelled token ends them.</summary>
    private readonly ResiliencePipeline _subscribeRetries = Retries.Build(
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), DelayBackoffType.Constant,
        handles: _ => true,
        onRetry: args => logger.SubscribeFailed(new ClientAddressPrefix(client), args.Outcome.Exception!.Message),
        time);
    private int _queuedEvents;

    // The loop's own state: the subscription in use, and a subscription attempt under way.
    private IAsyncDisposable? _subscription;
    private Task? _subscribing;
    private readonly List<InboxEvent> _early = [];

    /// <summary>
    /// Runs until <paramref name="stop"/> (checked between pushes, so a push under way completes and
    /// is acknowledged) or another session takes over; <paramref name="abort"/> also ends a send.
    /// </summary>
    public async Task<InboxPumpEnd> RunAsync(CancellationToken stop, CancellationToken abort)
    {
        using var subscribing = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var timer = time.CreateTimer(_ => Post(PumpSignal.Drain), null, UnsubscribedDrainPeriod, UnsubscribedDrainPeriod);
        Post(PumpSignal.Drain);
        _subscribing = SubscribeAsync(subscribing.Token);
        clusterChanges.Changed += PostDrain;
        clusterChanges.Reconnected += PostResubscribe;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var signal = await _signals.Reader.ReadAsync(stop);
                switch (signal)
                {
                    case PumpSignal.DrainSignal:
                        SkipQueuedDrains();
                        await DrainAsync(stop, abort);
                        break;
                    case PumpSignal.Event { Value: var inboxEvent }:
                        Interlocked.Decrement(ref _queuedEvents);
                        if (inboxEvent.SessionTakenOverBy is { } newer && newer != session)
                        {
                            return InboxPumpEnd.TakenOver;
                        }
                        if (_subscription is null)
                        {
                            // Before the first subscription's drain, earlier messages may have been announced to nobody:
                            // that drain pushes them first, so the client gets them in order.
                            _early.Add(inboxEvent);
                            break;
                        }
                        await PushAsync(inboxEvent.Messages, fromEvent: true, abort);
                        break;
                    case PumpSignal.ResubscribeSignal when _subscribing is null:
                        timer.Change(UnsubscribedDrainPeriod, UnsubscribedDrainPeriod);
                        _subscribing = SubscribeAsync(subscribing.Token);
                        break;
                    case PumpSignal.Subscribed { Subscription: var subscription }:
                        // The one it replaces goes afterwards, so no event falls between the two.
                        Unsubscribe(_subscription);
                        _subscription = subscription;
                        _subscribing = null;
                        timer.Change(options.InboxRedrainInterval, options.InboxRedrainInterval);
                        await DrainAsync(stop, abort);
                        foreach (var early in _early)
                        {
                            await PushAsync(early.Messages, fromEvent: true, abort);
                        }
                        _early.Clear();
                        break;
                }
            }
            return InboxPumpEnd.Stopped;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return InboxPumpEnd.Stopped;
        }
        finally
        {
            clusterChanges.Changed -= PostDrain;
            clusterChanges.Reconnected -= PostResubscribe;
            await subscribing.CancelAsync();
            await (_subscribing ?? Task.CompletedTask).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _signals.Writer.TryComplete();
            while (_signals.Reader.TryRead(out var left))
            {
                if (left is PumpSignal.Subscribed { Subscription: var late })
                {
                    await UnsubscribeAsync(late);
                }
            }
            if (_subscription is not null)
            {
                await UnsubscribeAsync(_subscription);
            }
            await _ledger.WaitForAcknowledgementsAsync(IClientGrain.AcknowledgementWait);
        }
    }

    private void Post(PumpSignal signal) => _signals.Writer.TryWrite(signal);

    private void PostDrain() => Post(PumpSignal.Drain);

    private void PostResubscribe() => Post(PumpSignal.Resubscribe);

    /// <summary>Drains already queued behind this one add nothing to it.</summary>
    private void SkipQueuedDrains()
    {
        while (_signals.Reader.TryPeek(out var next) && next is PumpSignal.DrainSignal)
        {
            _signals.Reader.TryRead(out _);
        }
    }

    /// <summary>Subscribes to the client's inbox stream, retrying while the cluster cannot take it.</summary>
    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        var subscription = await _subscribeRetries.ExecuteAsync(
            async token => await notifications.SubscribeAsync(OnEventAsync, OnStreamErrorAsync).WaitAsync(TimeSpan.FromSeconds(10), token),
            cancellationToken);
        Post(new PumpSignal.Subscribed(subscription));
    }

    private Task OnEventAsync(InboxEvent inboxEvent)
    {
        if (Interlocked.Increment(ref _queuedEvents) > MaxQueuedEvents)
        {
            Interlocked.Decrement(ref _queuedEvents);
            Post(PumpSignal.Drain);
        }
        else
        {
            Post(new PumpSignal.Event(inboxEvent));
        }
        return Task.CompletedTask;
    }

    /// <summary>The stream lost notifications for this client (it fell behind): the store has them.</summary>
    private Task OnStreamErrorAsync(Exception error)
    {
        logger.StreamFellBehind(_logName, error.Message);
        Post(PumpSignal.Drain);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Re-reads every stored message, page by page, and pushes what the ledger has not pushed. A
    /// failing silo or database is retried here before anything else, so the backlog keeps its order.
    /// </summary>
    private async Task DrainAsync(CancellationToken stop, CancellationToken abort)
    {
        while (true)
        {
            try
            {
                _ledger.BeginDrain();
                long after = 0;
                while (!stop.IsCancellationRequested)
                {
                    var page = await inbox.Read(after, options.InboxPageSize);
                    await PushAsync(page, fromEvent: false, abort);
                    if (page.Length < options.InboxPageSize)
                    {
                        return;
                    }
                    after = page[^1].Id;
                }
                return;
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or WebSocketException or ObjectDisposedException))
            {
                logger.DeliveryPaused(_logName, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(500), time, stop);
            }
        }
    }

    private async Task PushAsync(InboxMessage[] messages, bool fromEvent, CancellationToken abort)
    {
        var sent = new List<long>(messages.Length);
        foreach (var message in messages)
        {
            if (!_ledger.IsNew(message, fromEvent))
            {
                continue;
            }
            int length = SharedKeys.TaggedLength(message.Content.Length);
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                BinaryMessages.SealPushedMessage(keys, message.Content, buffer.AsSpan(0, length));
                await socket.SendAsync(buffer.AsMemory(0, length), WebSocketMessageType.Binary, abort);
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
            _ledger.Pushed([.. sent]);
        }
    }

    /// <summary>Drops a replaced subscription in the background, so pushes do not wait for it.</summary>
    private void Unsubscribe(IAsyncDisposable? subscription)
    {
        if (subscription is not null)
        {
            _ = UnsubscribeAsync(subscription);
        }
    }

    private async Task UnsubscribeAsync(IAsyncDisposable subscription)
    {
        try
        {
            await subscription.DisposeAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.UnsubscribeFailed(ex, _logName);
        }
    }
}
