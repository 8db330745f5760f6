using System.Net.WebSockets;
using System.Threading.Channels;
using NymGateway.EdgeHost.Clients;
using NymGateway.Grains;
using NymGateway.Nym.GatewayRequests;
using Orleans.Concurrency;

namespace NymGateway.Tests.Streaming;

/// <summary>An inbox in memory: messages by id, reads and deletes observable, each can be held at a gate.</summary>
internal sealed class FakeInbox : IInboxGrain
{
    private readonly SortedDictionary<long, InboxMessage> _stored = [];

    /// <summary>The afterId of every read, written once the read took its snapshot.</summary>
    public Channel<long> Reads { get; } = Channel.CreateUnbounded<long>();

    public Channel<long[]> Acknowledged { get; } = Channel.CreateUnbounded<long[]>();

    /// <summary>When set, a read waits for it before taking its snapshot.</summary>
    public TaskCompletionSource? ReadGate { get; set; }

    /// <summary>When set, an acknowledgement waits for it before deleting.</summary>
    public TaskCompletionSource? AcknowledgeGate { get; set; }

    public static byte[] Content(long id) => BitConverter.GetBytes(id);

    public InboxMessage Store(long id)
    {
        var message = new InboxMessage(id, Content(id), 0);
        lock (_stored)
        {
            _stored[id] = message;
        }
        return message;
    }

    public bool Holds(long id)
    {
        lock (_stored)
        {
            return _stored.ContainsKey(id);
        }
    }

    public async Task<InboxMessage[]> Read(long afterId, int maxMessages)
    {
        if (ReadGate is { } gate)
        {
            await gate.Task;
        }
        InboxMessage[] page;
        lock (_stored)
        {
            page = [.. _stored.Values.Where(m => m.Id > afterId).Take(maxMessages)];
        }
        Reads.Writer.TryWrite(afterId);
        return page;
    }

    public async Task Acknowledge(long[] ids)
    {
        if (AcknowledgeGate is { } gate)
        {
            await gate.Task;
        }
        lock (_stored)
        {
            foreach (long id in ids)
            {
                _stored.Remove(id);
            }
        }
        Acknowledged.Writer.TryWrite(ids);
    }

    public Task<DeliveryResult> Deliver(Guid deliveryId, Immutable<byte[][]> messages, Immutable<byte[]> replayTags, long receivedAt) =>
        throw new NotSupportedException("the pump never delivers");

    public Task<bool> Numbered(Guid deliveryId) => throw new NotSupportedException("the pump never delivers");

    public Task ClientRegistered() => throw new NotSupportedException("the pump never registers");
    public Task MessagesExpired() => throw new NotSupportedException("the pump never sweeps");

    public Task SetOnline(bool online) => throw new NotSupportedException("the pump never sets presence");
}

/// <summary>The client's inbox stream: every subscription is recorded, and a test publishes through it.</summary>
internal sealed class FakeNotifications : IInboxNotifications
{
    public Channel<Subscription> Subscribed { get; } = Channel.CreateUnbounded<Subscription>();

    /// <summary>When set, a subscription attempt waits for it.</summary>
    public TaskCompletionSource? Gate { get; set; }

    public async Task<IAsyncDisposable> SubscribeAsync(Func<InboxEvent, Task> onEvent, Func<Exception, Task> onError)
    {
        if (Gate is { } gate)
        {
            await gate.Task;
        }
        var subscription = new Subscription(onEvent);
        Subscribed.Writer.TryWrite(subscription);
        return subscription;
    }

    internal sealed class Subscription(Func<InboxEvent, Task> onEvent) : IAsyncDisposable
    {
        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Disposed => _disposed.Task;

        /// <summary>What the inbox grain announces after a commit.</summary>
        public Task Publish(params InboxMessage[] messages) => onEvent(new InboxEvent(messages));

        public Task PublishTakeOver(Guid session) => onEvent(new InboxEvent([], session));

        public ValueTask DisposeAsync()
        {
            _disposed.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// A server websocket that records what was sent, opened with the client's keys. A send can be
/// held at a gate (it has not completed until the gate opens) or made to fail.
/// </summary>
internal sealed class FakeSocket(SharedKeys keys) : WebSocket
{
    /// <summary>The id of each pushed message whose send started.</summary>
    public Channel<long> SendsStarted { get; } = Channel.CreateUnbounded<long>();

    /// <summary>The id of each pushed message whose send completed, in order.</summary>
    public Channel<long> Sent { get; } = Channel.CreateUnbounded<long>();

    public TaskCompletionSource? SendGate { get; set; }

    public bool FailSends { get; set; }

    public override WebSocketCloseStatus? CloseStatus => null;

    public override string? CloseStatusDescription => null;

    public override WebSocketState State => WebSocketState.Open;

    public override string? SubProtocol => null;

    public override async ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        var frame = buffer.ToArray();
        if (!BinaryMessages.TryOpenPushedMessage(keys, frame, out var message, out var error))
        {
            throw new InvalidOperationException($"the pump sent something the client cannot open: {error}");
        }
        long id = BitConverter.ToInt64(message);
        SendsStarted.Writer.TryWrite(id);
        if (FailSends)
        {
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
        }
        if (SendGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
        Sent.Writer.TryWrite(id);
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the pump never receives");

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Abort()
    {
    }

    public override void Dispose()
    {
    }
}
