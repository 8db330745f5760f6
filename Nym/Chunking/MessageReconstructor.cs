namespace NymGateway.Nym.Chunking;

/// <summary>
/// The receiving side of <see cref="MessageChunker"/>: collects the fragments of each set and
/// returns the message once all are in (reply-SURB prefix and padding removed). A fragment of a
/// set already reassembled is dropped, as 0.9.2's received buffer drops one whose ACK was lost
/// and that came again.
/// </summary>
public sealed class MessageReconstructor
{
    private readonly Dictionary<int, Fragment?[]> _partial = [];
    private readonly HashSet<int> _reconstructed = [];

    public enum Outcome
    {
        Incomplete,
        Complete,
        Duplicate,
        Malformed,
    }

    public Outcome Insert(Fragment fragment, out byte[] message)
    {
        message = [];
        if (_reconstructed.Contains(fragment.SetId))
        {
            return Outcome.Duplicate;
        }
        if (!_partial.TryGetValue(fragment.SetId, out var set))
        {
            set = new Fragment?[fragment.TotalFragments];
            _partial[fragment.SetId] = set;
        }
        if (set.Length != fragment.TotalFragments)
        {
            return Outcome.Malformed;
        }
        if (set[fragment.Position - 1] is not null)
        {
            return Outcome.Duplicate;
        }
        set[fragment.Position - 1] = fragment;
        if (set.Any(f => f is null))
        {
            return Outcome.Incomplete;
        }

        _partial.Remove(fragment.SetId);
        _reconstructed.Add(fragment.SetId);
        var joined = set.SelectMany(f => f!.Payload.ToArray()).ToArray();
        int end = Array.LastIndexOf(joined, (byte)1);
        // 0 first: no reply SURB attached (this client neither sends nor uses reply SURBs).
        if (joined.Length == 0 || joined[0] != 0 || end < 1)
        {
            return Outcome.Malformed;
        }
        message = joined[1..end];
        return Outcome.Complete;
    }
}
