using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NymGateway.EdgeHost;
using NymGateway.EdgeHost.Clients;
using NymGateway.EdgeHost.Telemetry;
using NymGateway.Nym.GatewayRequests;
using Xunit;

namespace NymGateway.Tests.Streaming;

/// <summary>
/// The inbox pump against an inbox, a stream and a websocket in memory. The fake clock never
/// moves unless a test moves it, so every drain here has a cause the test names.
/// </summary>
[Trait("Category", "Unit")]
public sealed class InboxPumpTests : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly Guid _session = Guid.NewGuid();
    private readonly SharedKeys _keys = SharedKeys.FromBytes(Enumerable.Range(1, SharedKeys.Size).Select(i => (byte)i).ToArray());
    private readonly FakeInbox _inbox = new();
    private readonly FakeNotifications _notifications = new();
    private readonly FakeSocket _socket;
    private readonly WebSocketChannel _channel;
    private readonly ClusterChangeSignal _cluster = new();
    private readonly FakeTimeProvider _time = new();
    private readonly GatewayMetrics _metrics = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly InboxPump _pump;

    public InboxPumpTests()
    {
        _socket = new FakeSocket(_keys);
        _channel = new WebSocketChannel(_socket, 64 * 1024);
        var options = new EdgeOptions { InboxPageSize = 2, InboxRedrainInterval = TimeSpan.FromSeconds(10) };
        _pump = new InboxPump("client", _session, _keys, _channel, _inbox, _notifications, options, _metrics, _cluster, _time, NullLogger.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _channel.Dispose();
        _metrics.Dispose();
        _stop.Dispose();
        _abort.Dispose();
    }

    private Task<InboxPumpEnd> Run() => _pump.RunAsync(_stop.Token, _abort.Token);

    private static async Task<T> Next<T>(Channel<T> channel) => await channel.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

    private static async Task<List<T>> Next<T>(Channel<T> channel, int count)
    {
        var items = new List<T>();
        for (int i = 0; i < count; i++)
        {
            items.Add(await Next(channel));
        }
        return items;
    }

    private static List<T> Left<T>(Channel<T> channel)
    {
        var items = new List<T>();
        while (channel.Reader.TryRead(out var item))
        {
            items.Add(item);
        }
        return items;
    }

    /// <summary>Both drains of a start (at once, and once subscribed) have read the empty store.</summary>
    private async Task<FakeNotifications.Subscription> StartedAsync()
    {
        var subscription = await Next(_notifications.Subscribed);
        await Next(_inbox.Reads, 2);
        return subscription;
    }

    [Fact]
    public async Task The_backlog_goes_out_in_order_across_pages_then_live_events_each_acknowledged_after_its_send()
    {
        for (long id = 1; id <= 5; id++)
        {
            _inbox.Store(id);
        }
        var run = Run();
        Assert.Equal([1L, 2, 3, 4, 5], await Next(_socket.Sent, 5));
        var subscription = await Next(_notifications.Subscribed);

        await subscription.Publish(_inbox.Store(6), _inbox.Store(7));
        Assert.Equal([6L, 7], await Next(_socket.Sent, 2));

        await _stop.CancelAsync();
        Assert.Equal(InboxPumpEnd.Stopped, await run.WaitAsync(Timeout));
        Assert.Empty(Left(_socket.Sent));
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], Left(_inbox.Acknowledged).SelectMany(ids => ids).Order());
        await subscription.Disposed.WaitAsync(Timeout);
    }

    [Fact]
    public async Task An_event_for_a_message_the_running_drain_already_pushed_is_not_pushed_again()
    {
        _inbox.Store(1);
        _inbox.Store(2);
        _inbox.ReadGate = new TaskCompletionSource();
        var run = Run();
        var subscription = await Next(_notifications.Subscribed);

        // While the drain's first read is held, message 3 is committed and announced.
        await subscription.Publish(_inbox.Store(3));
        _inbox.ReadGate.SetResult();
        Assert.Equal([1L, 2, 3], await Next(_socket.Sent, 3));

        await subscription.Publish(_inbox.Store(4));
        Assert.Equal(4, await Next(_socket.Sent));
        await _stop.CancelAsync();
        await run.WaitAsync(Timeout);
        Assert.Empty(Left(_socket.Sent));
    }

    [Fact]
    public async Task A_drain_skips_a_pushed_message_whose_delete_is_still_under_way()
    {
        var run = Run();
        var subscription = await StartedAsync();
        _inbox.AcknowledgeGate = new TaskCompletionSource();
        await subscription.Publish(_inbox.Store(5));
        Assert.Equal(5, await Next(_socket.Sent));

        _cluster.NotifyClusterConnectionLost();
        await Next(_inbox.Reads); // message 5 is still stored: its delete waits at the gate
        await subscription.Publish(_inbox.Store(6));
        Assert.Equal(6, await Next(_socket.Sent));

        _inbox.AcknowledgeGate.SetResult();
        await _stop.CancelAsync();
        await run.WaitAsync(Timeout);
        Assert.Empty(Left(_socket.Sent));
        Assert.Equal([5L, 6], Left(_inbox.Acknowledged).SelectMany(ids => ids).Order());
    }

    [Fact]
    public async Task A_drain_skips_a_message_whose_delete_was_confirmed_lately_even_when_a_read_returns_it()
    {
        var run = Run();
        var subscription = await StartedAsync();
        await subscription.Publish(_inbox.Store(5));
        Assert.Equal(5, await Next(_socket.Sent));
        Assert.Equal(new long[] { 5 }, await Next(_inbox.Acknowledged));

        // The inbox runs on two silos while one stops: the new activation deleted 5, the old one still returns it.
        _inbox.Store(5);
        _cluster.NotifyClusterConnectionLost();
        await Next(_inbox.Reads);
        await subscription.Publish(_inbox.Store(6));
        Assert.Equal(6, await Next(_socket.Sent));

        // The memory is bounded: 30 s later a message still returned is taken for one never pushed.
        _time.Advance(TimeSpan.FromSeconds(31));
        _cluster.NotifyClusterConnectionLost();
        Assert.Equal(5, await Next(_socket.Sent));
        await _stop.CancelAsync();
        await run.WaitAsync(Timeout);
        Assert.Empty(Left(_socket.Sent));
    }

    [Fact]
    public async Task A_message_whose_notification_was_lost_goes_out_on_the_drain_after_a_cluster_change()
    {
        var run = Run();
        var subscription = await StartedAsync();

        _inbox.Store(1); // committed, but its notification was lost (a full queue, a dead silo)
        await subscription.Publish(_inbox.Store(2));
        Assert.Equal(2, await Next(_socket.Sent));
        Assert.True(_inbox.Holds(1));

        _cluster.NotifyClusterConnectionLost();
        Assert.Equal(1, await Next(_socket.Sent));
        await _stop.CancelAsync();
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Nothing_is_acknowledged_before_its_send_completed()
    {
        _socket.SendGate = new TaskCompletionSource();
        _inbox.Store(1);
        var run = Run();
        Assert.Equal(1, await Next(_socket.SendsStarted));
        await Task.Delay(100);
        Assert.Empty(Left(_inbox.Acknowledged));

        _socket.SendGate.SetResult();
        Assert.Equal(new long[] { 1 }, await Next(_inbox.Acknowledged));
        await _stop.CancelAsync();
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_failed_send_ends_the_pump_and_acknowledges_nothing()
    {
        _socket.FailSends = true;
        _inbox.Store(1);
        await Assert.ThrowsAsync<WebSocketException>(() => Run().WaitAsync(Timeout));
        Assert.Empty(Left(_inbox.Acknowledged));
        Assert.True(_inbox.Holds(1));
    }

    [Fact]
    public async Task The_store_is_read_again_when_the_cluster_changes()
    {
        var run = Run();
        await StartedAsync();
        _inbox.Store(1); // behind the stream's back: only a drain finds it

        _cluster.NotifyGatewayCountChanged(1, 2, connectionRecovered: false);
        Assert.Equal(1, await Next(_socket.Sent));
        await _stop.CancelAsync();
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_connection_that_came_back_subscribes_again_then_drops_the_old_subscription()
    {
        var run = Run();
        var first = await StartedAsync();

        _cluster.NotifyGatewayCountChanged(1, 0, connectionRecovered: true);
        var second = await Next(_notifications.Subscribed);
        await first.Disposed.WaitAsync(Timeout);
        await second.Publish(_inbox.Store(1));
        Assert.Equal(1, await Next(_socket.Sent));

        await _stop.CancelAsync();
        await run.WaitAsync(Timeout);
        await second.Disposed.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Until_subscribed_the_store_is_read_every_second_then_every_redrain_interval()
    {
        _notifications.Gate = new TaskCompletionSource();
        var run = Run();
        await Next(_inbox.Reads);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Next(_inbox.Reads);

        _notifications.Gate.SetResult();
        var subscription = await Next(_notifications.Subscribed);
        await Next(_inbox.Reads); // the drain once subscribed
        _time.Advance(TimeSpan.FromSeconds(9));
        // The loop handles signals in order: a drain the timer posted would read before this push.
        await subscription.Publish(_inbox.Store(1));
        Assert.Equal(1, await Next(_socket.Sent));
        Assert.Empty(Left(_inbox.Reads));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, await Next(_inbox.Reads));
        await _stop.CancelAsync();
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_newer_session_ends_the_pump_and_its_own_take_over_does_not()
    {
        var run = Run();
        var subscription = await StartedAsync();

        await subscription.PublishTakeOver(_session);
        await subscription.Publish(_inbox.Store(1));
        Assert.Equal(1, await Next(_socket.Sent));
        Assert.False(run.IsCompleted);

        await subscription.PublishTakeOver(Guid.NewGuid());
        Assert.Equal(InboxPumpEnd.TakenOver, await run.WaitAsync(Timeout));
        await subscription.Disposed.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_stop_waits_for_the_acknowledgement_under_way()
    {
        _inbox.AcknowledgeGate = new TaskCompletionSource();
        _inbox.Store(1);
        var run = Run();
        Assert.Equal(1, await Next(_socket.Sent));

        await _stop.CancelAsync();
        await Task.Delay(100);
        Assert.False(run.IsCompleted);
        _inbox.AcknowledgeGate.SetResult();
        Assert.Equal(InboxPumpEnd.Stopped, await run.WaitAsync(Timeout));
        Assert.Equal([1L], Left(_inbox.Acknowledged).Single());
    }
}
