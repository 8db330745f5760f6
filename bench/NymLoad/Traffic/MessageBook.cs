using NymGateway.Load.Measure;

namespace NymGateway.Load.Traffic;

/// <summary>Every <see cref="MessageLedger"/> of the run, so a push is booked to its phase by the number it carries.</summary>
public sealed class MessageBook(RunCounters counters, ErrorCounts errors)
{
    private volatile MessageLedger[] _ledgers = [];

    public MessageLedger Open(FramePool pool, bool timed = false)
    {
        var ledger = new MessageLedger(pool, timed);
        _ledgers = [.. _ledgers, ledger];
        return ledger;
    }

    public void MarkPushed(long number)
    {
        counters.AddPushed();
        foreach (var ledger in _ledgers)
        {
            if (ledger.Holds(number))
            {
                ledger.MarkPushed(number);
                return;
            }
        }
        errors.Add(ErrorKind.PushesUnknown);
    }

    public IReadOnlyList<MessageLedger> Ledgers => _ledgers;
}
