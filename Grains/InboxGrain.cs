using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NymGateway.Grains.Storage;
using Orleans.Concurrency;
using Orleans.Streams;

namespace NymGateway.Grains;

/// <summary>
/// One client's inbox. Deliveries are refused for clients that never registered (0.9.2 keeps no
/// inbox for them either) and beyond the per-inbox limit. The inbox numbers what it accepts (ids
/// from a reserved block), so the order holds whether a message is written or not. For a client
/// that is offline, a delivery is written before the call returns. For a connected one it is
/// announced on the client's stream at once and held in memory (<see cref="HeldDelivery"/>): the
/// call returns when every message's push completed (then only the replay tags are written) or,
/// after the write delay, once the rest is written. Either way a message is delivered or durable
/// before its SURB-ACK leaves. <see cref="Numbered"/> tells an edge when a delivery has its ids,
/// so the edge can send the next one before this one is answered. Reentrant, so deliveries
/// overlap while they wait; its state only changes between awaits.
/// </summary>
[Reentrant]
public sealed partial class InboxGrain(IGatewayStore store, IOptions<GatewayStoreOptions> options, ILogger<InboxGrain> logger)
    : Grain, IInboxGrain
{
    private IAsyncStream<InboxEvent> _stream = null!;
    private Task? _loading;
    private bool _registered;
    private bool _online;

    /// <summary>Messages in the inbox, written or held (reserved as a delivery is accepted); null until counted.</summary>
    private int? _stored;
    private bool _fullReported;
    private long _nextId;
    private long _idsEnd;
    /// <summary>Results by delivery id, for a retry.</summary>
    private readonly RecentDeliveries _recent = new(64);

    /// <summary>
    /// The delivery that came last has its ids / has sent its announcement (or found the client
    /// offline): the next waits for it, so ids follow the order deliveries came in, and a session
    /// hears of them in id order (an edge skips an announced id below one it pushed).
    /// </summary>
    private Task _numbered = Task.CompletedTask;
    private Task _announced = Task.CompletedTask;
    private readonly Dictionary<Guid, Attempt> _underway = [];

    /// <summary>How long a <see cref="Numbered"/> call that came before its delivery waits for it (one that never comes was lost with its silo).</summary>
    private static readonly TimeSpan NumberedWait = TimeSpan.FromSeconds(2);

    /// <summary><see cref="Numbered"/> calls that came before their delivery.</summary>
    private readonly Dictionary<Guid, TaskCompletionSource<bool>> _numberedWaiters = [];
    private readonly Dictionary<Guid, HeldDelivery> _heldDeliveries = [];
    private readonly Dictionary<long, HeldDelivery> _heldMessages = [];

    /// <summary>Replay tags (their first 16 bytes) of the messages accepted and not yet written: a copy among them is a replay.</summary>
    private readonly HashSet<UInt128> _tagsUnderway = [];

    private string Address => this.GetPrimaryKeyString();

    private GatewayStoreOptions Options => options.Value;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _stream = this.GetStreamProvider(InboxStreams.Provider)
            .GetStream<InboxEvent>(StreamId.Create(InboxStreams.Namespace, Address));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Held messages are written, and every write under way (a pushed message's tag too) finishes,
    /// before the activation goes (say, its silo stops): the next activation, maybe on another silo,
    /// knows only the store, and a retry it gets must find there what this one pushed.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        foreach (var held in _heldDeliveries.Values.ToList())
        {
            try
            {
                if (held.Writing is null)
                {
                    await WriteAsync(held);
                }
                if (held.Writing is { } writing)
                {
                    await writing;
                }
            }
            catch (StoreUnavailableException ex)
            {
                LogHeldWriteFailed(logger, ex, held.Messages.Length, new ClientAddressPrefix(Address));
            }
        }
    }

    public Task<DeliveryResult> Deliver(Guid deliveryId, Immutable<byte[][]> messages, Immutable<byte[]> replayTags, long receivedAt) =>
        Start(deliveryId, messages.Value, replayTags.Value, receivedAt).Result;

    public Task<bool> Numbered(Guid deliveryId)
    {
        if (_recent.TryGet(deliveryId, out _))
        {
            return Task.FromResult(true);
        }
        if (_underway.TryGetValue(deliveryId, out var attempt))
        {
            return attempt.NumberedAsync();
        }
        // Sent after its delivery, it may still arrive first: wait for that, not for ever.
        if (!_numberedWaiters.TryGetValue(deliveryId, out var waiter))
        {
            _numberedWaiters[deliveryId] = waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        return WaitForDeliveryAsync(deliveryId, waiter.Task);
    }

    private async Task<bool> WaitForDeliveryAsync(Guid deliveryId, Task<bool> numbered)
    {
        try
        {
            return await numbered.WaitAsync(NumberedWait);
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            _numberedWaiters.Remove(deliveryId);
        }
    }

    /// <summary>
    /// A delivery's one attempt in this activation: a retry joins it, and an answered one is
    /// answered again from the recent results. A delivery held after a failed write is written.
    /// </summary>
    private Attempt Start(Guid deliveryId, byte[][] messages, byte[] replayTags, long receivedAt)
    {
        if (replayTags.Length != messages.Length * ReplayProtection.TagSize)
        {
            throw new ArgumentException($"one {ReplayProtection.TagSize}-byte replay tag per message", nameof(replayTags));
        }
        if (_recent.TryGet(deliveryId, out var earlier))
        {
            return new Attempt(Task.CompletedTask) { Result = Task.FromResult(earlier) };
        }
        if (_underway.TryGetValue(deliveryId, out var running))
        {
            return running;
        }
        if (_heldDeliveries.TryGetValue(deliveryId, out var pushed))
        {
            // Its first attempt pushed them and then failed to write: this one writes, and pushes nothing again.
            var rewrite = new Attempt(Task.CompletedTask);
            _underway[deliveryId] = rewrite;
            rewrite.Result = RememberAsync(deliveryId, WriteAsync(pushed));
            return rewrite;
        }
        // Deliveries overlap while they look things up and write, but number and announce in the order they came.
        var turns = new Turns(new Turn(_numbered), new Turn(_announced));
        (_numbered, _announced) = (turns.Numbering.Done, turns.Announcing.Done);
        var attempt = new Attempt(turns.Numbering.Done);
        _underway[deliveryId] = attempt;
        attempt.Result = RememberAsync(deliveryId, DeliverInTurnAsync(deliveryId, messages, replayTags, receivedAt, turns));
        if (_numberedWaiters.Remove(deliveryId, out var waiter))
        {
            attempt.NumberedAsync().ContinueWith(numbered => waiter.TrySetResult(numbered.Result), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return attempt;
    }

    /// <summary>A delivery under way: <see cref="Numbered"/> once its messages have ids (or none will), <see cref="Result"/> once they are delivered or durable.</summary>
    private sealed class Attempt(Task numbered)
    {
        public Task Numbered => numbered;

        public Task<DeliveryResult> Result { get; set; } = null!;

        /// <summary>True once the messages have ids; false when the attempt failed first (its retry, numbered later, must not be overtaken).</summary>
        public async Task<bool> NumberedAsync()
        {
            await Task.WhenAny(Numbered, Result).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
            return !Result.IsFaulted;
        }
    }

    private async Task<DeliveryResult> RememberAsync(Guid deliveryId, Task<DeliveryResult> attempt)
    {
        try
        {
            var result = await attempt;
            _recent.Add(deliveryId, result);
            return result;
        }
        finally
        {
            _underway.Remove(deliveryId);
        }
    }

    /// <summary>A delivery's place in one line: it waits for the one before, and ends its own.</summary>
    private sealed class Turn(Task previous)
    {
        private readonly TaskCompletionSource _done = new();

        public Task Previous => previous;

        public Task Done => _done.Task;

        public void End() => _done.TrySetResult();
    }

    private sealed record Turns(Turn Numbering, Turn Announcing);

    private async Task<DeliveryResult> DeliverInTurnAsync(Guid deliveryId, byte[][] messages, byte[] replayTags, long receivedAt, Turns turns)
    {
        try
        {
            return await DeliverAsync(deliveryId, messages, replayTags, receivedAt, turns);
        }
        finally
        {
            turns.Numbering.End();
            turns.Announcing.End();
        }
    }

    private async Task<DeliveryResult> DeliverAsync(Guid deliveryId, byte[][] messages, byte[] replayTags, long receivedAt, Turns turns)
    {
        await (_loading ??= LoadClientAsync());
        if (!_registered)
        {
            LogUnregistered(logger, messages.Length, new ClientAddressPrefix(Address));
            return new DeliveryResult(0, messages.Length);
        }
        int accepted = await RoomAsync(deliveryId, messages.Length, replayTags);
        if (accepted == 0)
        {
            return new DeliveryResult(0, messages.Length);
        }
        var delivery = new Delivery(deliveryId, messages[..accepted], replayTags.AsMemory(0, accepted * ReplayProtection.TagSize), receivedAt, messages.Length - accepted);
        _stored += accepted;
        return await AcceptAsync(delivery, _online, turns);
    }


    /// <summary>What one delivery brought, as far as the inbox accepted it.</summary>
    private sealed record Delivery(Guid Id, byte[][] Messages, ReadOnlyMemory<byte> Tags, long ReceivedAt, int Refused)
    {
        public ReadOnlySpan<byte> Tag(int message) => Tags.Span.Slice(message * ReplayProtection.TagSize, ReplayProtection.TagSize);
    }

    /// <summary>How many of the messages fit under the inbox limit.</summary>
    private async Task<int> RoomAsync(Guid deliveryId, int offered, byte[] replayTags)
    {
        if (_stored is null)
        {
            int count = await store.CountAsync(Address);
            _stored ??= count;
        }
        int limit = Options.Retention.MaxMessagesPerInbox;
        int room = Math.Max(0, limit - (_stored ?? 0));
        if (room < offered)
        {
            // A retry whose first attempt committed (its answer lost, this activation new) already
            // counts in the store: its messages get their room back, so it is answered as the first.
            var recorded = await store.FindReplayTagsAsync(replayTags);
            room += recorded.Count(d => d == deliveryId);
        }
        // Senders can keep a full inbox full: said once until it drains, the edges count every refusal.
        if (room < offered && !_fullReported)
        {
            _fullReported = true;
            LogFull(logger, new ClientAddressPrefix(Address), limit);
        }
        return Math.Min(room, offered);
    }

    /// <summary>
    /// Screens out copies, numbers and holds the rest (a drain sees them from now on), then: for a
    /// connected client, announces them and waits for their push or the write delay before the
    /// write; for one offline, writes them and announces what was stored if it connected meanwhile.
    /// </summary>
    private async Task<DeliveryResult> AcceptAsync(Delivery delivery, bool online, Turns turns)
    {
        int count = delivery.Messages.Length;
        var screen = online ? await ScreenAsync(delivery) : ScreenUnderway(delivery);
        int fresh = count - screen.Replayed.Count - screen.StoredEarlier;
        _stored -= count - fresh;
        if (fresh == 0)
        {
            return DeliveryResult.Of(count, delivery.Refused, screen.Replayed);
        }
        HeldDelivery held;
        try
        {
            await turns.Numbering.Previous;
            long first = await TakeIdsAsync(fresh);
            var messages = new InboxMessage[fresh];
            var tags = new byte[fresh * ReplayProtection.TagSize];
            var positions = new int[fresh];
            for (int i = 0, h = 0; i < count; i++)
            {
                if (screen.Fresh[i])
                {
                    messages[h] = new InboxMessage(first + h, delivery.Messages[i], delivery.ReceivedAt);
                    delivery.Tag(i).CopyTo(tags.AsSpan(h * ReplayProtection.TagSize));
                    positions[h++] = i;
                }
            }
            held = new HeldDelivery(delivery.Id, messages, tags, positions, count, delivery.Refused, screen.Replayed);
        }
        catch
        {
            Unreserve(screen, fresh);
            throw;
        }
        Hold(held);
        turns.Numbering.End();
        if (online)
        {
            await AnnounceInTurnAsync(held.Messages, turns.Announcing);
            await Task.WhenAny(held.AllPushed, Task.Delay(Options.Retention.OnlineWriteDelay));
            return await WriteAsync(held);
        }
        var result = await WriteAsync(held);
        await AnnounceInTurnAsync(_online ? held.Stored() : [], turns.Announcing);
        return result;
    }

    /// <summary>
    /// Sends the announcement once the previous delivery's was sent: two sent at once can reach the
    /// stream's queue in either order, and a session skips an announced id below one it pushed.
    /// </summary>
    private async Task AnnounceInTurnAsync(InboxMessage[] messages, Turn turn)
    {
        await turn.Previous;
        try
        {
            if (messages.Length > 0)
            {
                await Announce(messages);
            }
        }
        finally
        {
            turn.End();
        }
    }

    /// <summary>Which messages are fresh, which copies: here, of messages accepted and not yet written (synchronously, so two copies never both pass).</summary>
    private Screen ScreenUnderway(Delivery delivery)
    {
        int count = delivery.Messages.Length;
        var screen = new Screen(new bool[count], new UInt128[count], [], 0);
        for (int i = 0; i < count; i++)
        {
            screen.Keys[i] = TagKey(delivery.Tag(i));
            screen.Fresh[i] = _tagsUnderway.Add(screen.Keys[i]);
            if (!screen.Fresh[i])
            {
                screen.Replayed.Add(i);
            }
        }
        return screen;
    }

    /// <summary>
    /// Before a push: also the copies the store recorded (one read), so what is pushed is what
    /// would be stored; a tag recorded by this very delivery is an earlier attempt's, not a copy.
    /// </summary>
    private async Task<Screen> ScreenAsync(Delivery delivery)
    {
        var screen = ScreenUnderway(delivery);
        Guid?[] recorded;
        try
        {
            recorded = await store.FindReplayTagsAsync(delivery.Tags);
        }
        catch
        {
            Unreserve(screen, delivery.Messages.Length);
            throw;
        }
        int storedEarlier = 0;
        for (int i = 0; i < recorded.Length; i++)
        {
            if (screen.Fresh[i] && recorded[i] is { } recorder)
            {
                screen.Fresh[i] = false;
                _tagsUnderway.Remove(screen.Keys[i]);
                if (recorder == delivery.Id)
                {
                    storedEarlier++;
                }
                else
                {
                    screen.Replayed.Add(i);
                }
            }
        }
        screen.Replayed.Sort();
        return screen with { StoredEarlier = storedEarlier };
    }

    /// <summary>
    /// A delivery failed before anything was held, so nothing of it stays: the tags it marked as
    /// under way (not a copy's, which are another delivery's) and the room it reserved.
    /// </summary>
    private void Unreserve(Screen screen, int reserved)
    {
        for (int i = 0; i < screen.Keys.Length; i++)
        {
            if (screen.Fresh[i])
            {
                _tagsUnderway.Remove(screen.Keys[i]);
            }
        }
        _stored -= reserved;
    }

    /// <summary>A delivery's messages, screened: which are fresh, their tags' keys, the positions of copies, and how many an earlier attempt stored.</summary>
    private sealed record Screen(bool[] Fresh, UInt128[] Keys, List<int> Replayed, int StoredEarlier);

    private void Hold(HeldDelivery delivery)
    {
        _heldDeliveries[delivery.Id] = delivery;
        foreach (var message in delivery.Messages)
        {
            _heldMessages[message.Id] = delivery;
        }
    }

    private void Release(HeldDelivery delivery)
    {
        _heldDeliveries.Remove(delivery.Id);
        foreach (var message in delivery.Messages)
        {
            _heldMessages.Remove(message.Id);
        }
        for (int i = 0; i < delivery.Messages.Length; i++)
        {
            _tagsUnderway.Remove(TagKey(delivery.ReplayTags.AsSpan(i * ReplayProtection.TagSize, ReplayProtection.TagSize)));
        }
    }

    /// <summary>
    /// Writes what is still held: when every message was pushed, only their tags, and the answer
    /// does not wait for that write. A failed write keeps the delivery held for the edge's retry.
    /// </summary>
    private async Task<DeliveryResult> WriteAsync(HeldDelivery delivery)
    {
        var writing = store.AppendAsync(Address, delivery.ToWrite(), delivery.ReplayTags, delivery.Id, delivery.ReceivedAt);
        delivery.Writing = writing;
        if (delivery.AllPushed.IsCompleted)
        {
            _ = RecordTagsAsync(delivery, writing);
            return delivery.Result([]);
        }
        try
        {
            var outcomes = await writing;
            delivery.Written(outcomes);
            Release(delivery);
            _stored -= outcomes.Count(o => o != AppendOutcome.Stored);
            return delivery.Result(outcomes);
        }
        catch
        {
            delivery.Writing = null;
            throw;
        }
    }

    /// <summary>The replay tags of messages pushed already; a failure weakens replay protection after a restart, nothing more.</summary>
    private async Task RecordTagsAsync(HeldDelivery delivery, Task<AppendOutcome[]> writing)
    {
        try
        {
            await writing;
        }
        catch (StoreUnavailableException ex)
        {
            LogTagsNotRecorded(logger, ex, delivery.Messages.Length, new ClientAddressPrefix(Address));
        }
        finally
        {
            Release(delivery);
        }
    }

    private static UInt128 TagKey(ReadOnlySpan<byte> tag) => BinaryPrimitives.ReadUInt128LittleEndian(tag);

    /// <summary>The first of <paramref name="count"/> consecutive new ids, from this activation's block (a new block when it ran out).</summary>
    private async Task<long> TakeIdsAsync(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, IdBlocks.Size);
        while (_idsEnd - _nextId < count)
        {
            long first = IdBlocks.FirstId(await store.TakeIdBlockAsync());
            // Blocks taken by overlapping deliveries may come back out of order: ids only ever grow.
            if (first >= _idsEnd)
            {
                (_nextId, _idsEnd) = (first, first + IdBlocks.Size);
            }
        }
        long start = _nextId;
        _nextId += count;
        return start;
    }

    /// <summary>
    /// Whether the client registered and is online, read once per activation: an inbox that comes
    /// back after its silo died announces to a connected client at once. Calls that came earlier
    /// wrote the store first, so what is read is no older than what they said.
    /// </summary>
    private async Task LoadClientAsync()
    {
        var client = await store.GetClientAsync(Address);
        _registered |= client is not null;
        _online |= client?.Session is not null;
    }

    /// <summary>The written messages, and the held ones not yet pushed (a drain of a new session needs them too).</summary>
    public async Task<InboxMessage[]> Read(long afterId, int maxMessages)
    {
        maxMessages = Math.Clamp(maxMessages, 1, 10_000);
        // Taken before the read: a write that lands meanwhile moves its messages into the store, not out of sight.
        InboxMessage[] held = [.. _heldDeliveries.Values.SelectMany(d => d.Unpushed()).Where(m => m.Id > afterId)];
        var written = await store.ReadAsync(Address, afterId, maxMessages);
        return held.Length == 0 ? written : [.. written.Concat(held).DistinctBy(m => m.Id).OrderBy(m => m.Id).Take(maxMessages)];
    }

    /// <summary>
    /// A held message is marked pushed, so it is never written (its tag is); one whose write is under
    /// way is deleted after that write; the others are deleted from the store.
    /// </summary>
    public async Task Acknowledge(long[] ids)
    {
        var written = new List<long>(ids.Length);
        List<(HeldDelivery Delivery, Task<AppendOutcome[]> Writing, long Id)>? late = null;
        foreach (long id in ids)
        {
            if (!_heldMessages.TryGetValue(id, out var held))
            {
                written.Add(id);
            }
            else if (held.Writing is { } writing)
            {
                (late ??= []).Add((held, writing, id));
            }
            else
            {
                held.MarkPushed(id);
            }
        }
        foreach (var (held, writing, id) in late ?? [])
        {
            await ((Task)writing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            if (writing.IsCompletedSuccessfully)
            {
                written.Add(id);
            }
            else
            {
                held.MarkPushed(id); // the write failed: still held, now only its tag is to be written
            }
        }
        await store.DeleteAsync(written);
        // The count only guards the soft inbox limit, so adjust it instead of recounting on the
        // delivery path; it is re-read from the store when the grain next activates or after a sweep.
        if (_stored is { } stored)
        {
            _stored = Math.Max(0, stored - ids.Length);
            _fullReported &= _stored >= Options.Retention.MaxMessagesPerInbox;
        }
    }

    public Task MessagesExpired()
    {
        // Re-read before the next delivery: a count read before the sweep's DELETE would be too high.
        _stored = null;
        _fullReported = false;
        return Task.CompletedTask;
    }

    public Task ClientRegistered()
    {
        _registered = true;
        return Task.CompletedTask;
    }

    public Task SetOnline(bool online)
    {
        _online = online;
        return Task.CompletedTask;
    }

    private async Task Announce(InboxMessage[] messages)
    {
        try
        {
            await _stream.OnNextAsync(new InboxEvent(messages));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Held or written, the messages are here; the edge finds them on its next drain.
            LogAnnounceFailed(logger, ex, messages.Length, new ClientAddressPrefix(Address));
        }
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Debug, Message = "Dropping {Count} messages for unregistered client {Client}")]
    private static partial void LogUnregistered(ILogger logger, int count, ClientAddressPrefix client);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Inbox of {Client} is full ({Limit} messages); refusing new messages until the client takes some")]
    private static partial void LogFull(ILogger logger, ClientAddressPrefix client, int limit);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Could not announce {Count} messages for {Client}")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception error, int count, ClientAddressPrefix client);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "Could not record the replay tags of {Count} messages pushed to {Client}; a copy arriving after a restart would be delivered again")]
    private static partial void LogTagsNotRecorded(ILogger logger, Exception error, int count, ClientAddressPrefix client);

    [LoggerMessage(EventId = 504, Level = LogLevel.Error, Message = "Could not write {Count} held messages for {Client} as its inbox deactivated; their SURB-ACKs never left, so their senders resend")]
    private static partial void LogHeldWriteFailed(ILogger logger, Exception error, int count, ClientAddressPrefix client);
}
