using NymGateway.Grains.Storage;

namespace NymGateway.Grains;

/// <summary>
/// The messages of one delivery pushed to a connected client before they were written. They wait
/// here, in the inbox's memory, until their websocket sends complete (then only their replay tags
/// are written) or the write delay ends (then the rest is written); the SURB-ACKs wait with them.
/// </summary>
/// <param name="positions">Each message's position in the delivery as the edge sent it.</param>
/// <param name="accepted">How many of the delivery's messages the inbox accepted (these and the copies dropped before).</param>
/// <param name="replayed">The positions dropped as copies before these were held.</param>
internal sealed class HeldDelivery(Guid id, InboxMessage[] messages, byte[] replayTags, int[] positions, int accepted, int refused, List<int> replayed)
{
    private readonly bool[] _pushed = new bool[messages.Length];
    private readonly TaskCompletionSource _allPushed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _unpushed = messages.Length;
    private AppendOutcome[] _outcomes = [];

    public Guid Id => id;

    public InboxMessage[] Messages => messages;

    /// <summary>32 bytes per message, in order.</summary>
    public byte[] ReplayTags => replayTags;

    public long ReceivedAt => messages[0].ReceivedAt;

    /// <summary>Completes once every message's websocket send completed.</summary>
    public Task AllPushed => _allPushed.Task;

    /// <summary>The write under way; acknowledgements that come meanwhile delete from the store after it.</summary>
    public Task<AppendOutcome[]>? Writing { get; set; }

    /// <summary>Marks one of this delivery's messages as pushed (its send completed), before the write began.</summary>
    public void MarkPushed(long messageId)
    {
        int index = Array.FindIndex(messages, m => m.Id == messageId);
        if (index >= 0 && !_pushed[index])
        {
            _pushed[index] = true;
            if (--_unpushed == 0)
            {
                _allPushed.TrySetResult();
            }
        }
    }

    /// <summary>What to write: content for the messages not yet pushed, the replay tag alone for the others.</summary>
    public NewMessage[] ToWrite() =>
        [.. messages.Select((m, i) => new NewMessage(m.Id, _pushed[i] ? null : m.Content))];

    /// <summary>Records the write's outcome per message.</summary>
    public void Written(AppendOutcome[] outcomes) => _outcomes = outcomes;

    /// <summary>The messages the write stored now (not copies, not an earlier attempt's).</summary>
    public InboxMessage[] Stored() => [.. messages.Where((_, i) => i < _outcomes.Length && _outcomes[i] == AppendOutcome.Stored)];

    /// <summary>The delivery's answer; <paramref name="outcomes"/> (of the write, per message; empty when not waited for) may add replays.</summary>
    public DeliveryResult Result(AppendOutcome[] outcomes)
    {
        var dropped = new List<int>(replayed);
        for (int i = 0; i < outcomes.Length; i++)
        {
            if (outcomes[i] == AppendOutcome.Replayed)
            {
                dropped.Add(positions[i]);
            }
        }
        return DeliveryResult.Of(accepted, refused, dropped);
    }

    /// <summary>The messages still waiting for their push, for a drain (which reads the store, where they are not yet).</summary>
    public IEnumerable<InboxMessage> Unpushed() => messages.Where((_, i) => !_pushed[i]);
}
