using NymGateway.EdgeHost.Resilience;
using NymGateway.Grains;
using Polly;

namespace NymGateway.EdgeHost.Clients;

/// <summary>
/// What one session pushed and acknowledged, so no message goes out twice. Ids increase per
/// inbox, so an event's message at or below the highest id pushed was pushed already (by a drain
/// that ran ahead of the event). A drain re-reads the whole store, and there the watermark is not
/// enough: a message whose notification was lost (a full queue, a dead silo) may sit below it,
/// unpushed; so a drain skips exactly the ids pushed whose delete was not yet confirmed, or was
/// confirmed lately: while a silo stops, the inbox can run on two silos, and the old activation
/// may still hold (and return) a message whose delete the new one confirmed.
/// </summary>
internal sealed class PushLedger(IInboxGrain inbox, ClientAddressPrefix client, TimeProvider time, ILogger logger)
{
    /// <summary>Longer than a silo takes to stop (its activations answer until they wrote what they held).</summary>
    private static readonly TimeSpan ConfirmedMemory = TimeSpan.FromSeconds(30);

    private readonly HashSet<long> _unconfirmed = [];
    private readonly HashSet<long> _confirmed = [];
    private readonly Queue<(DateTimeOffset ConfirmedAt, long[] Ids)> _confirmedOrder = new();
    private readonly List<(Task<bool> Done, long[] Ids)> _acknowledgements = [];

    public long HighestPushed { get; private set; }

    /// <summary>
    /// Moves the ids whose delete completed to the confirmed ones, and forgets those confirmed
    /// over <see cref="ConfirmedMemory"/> ago. Ids whose delete is under way or failed stay, so a
    /// slow or failing database holds nothing up; the failed ones are acknowledged again (see
    /// <see cref="RetryFailed"/>).
    /// </summary>
    public void BeginDrain()
    {
        RetryFailed();
        var forgetBefore = time.GetUtcNow() - ConfirmedMemory;
        while (_confirmedOrder.TryPeek(out var oldest) && oldest.ConfirmedAt < forgetBefore)
        {
            _confirmed.ExceptWith(_confirmedOrder.Dequeue().Ids);
        }
    }

    /// <summary>
    /// Starts again the acknowledgements that gave up (their inbox was out of reach, say while this
    /// edge was cut from the silos): left undone, the messages stay stored, and the client's next
    /// session would get them twice. A drain (the cluster changed, or the timer) and the session's end try again.
    /// </summary>
    private void RetryFailed()
    {
        var failed = new List<long>();
        _acknowledgements.RemoveAll(ack =>
        {
            if (!ack.Done.IsCompleted)
            {
                return false;
            }
            if (ack.Done.Result)
            {
                _unconfirmed.ExceptWith(ack.Ids);
                _confirmed.UnionWith(ack.Ids);
                _confirmedOrder.Enqueue((time.GetUtcNow(), ack.Ids));
            }
            else
            {
                failed.AddRange(ack.Ids);
            }
            return true;
        });
        if (failed.Count > 0)
        {
            long[] ids = [.. failed];
            _acknowledgements.Add((AcknowledgeAsync(ids), ids));
        }
    }

    public bool IsNew(InboxMessage message, bool fromEvent) =>
        fromEvent ? message.Id > HighestPushed : !_unconfirmed.Contains(message.Id) && !_confirmed.Contains(message.Id);

    /// <summary>Records messages whose websocket send completed and starts deleting them.</summary>
    public void Pushed(long[] ids)
    {
        foreach (long id in ids)
        {
            _unconfirmed.Add(id);
            HighestPushed = Math.Max(HighestPushed, id);
        }
        _acknowledgements.Add((AcknowledgeAsync(ids), ids));
    }

    /// <summary>Waits for the deletes under way, the failed ones tried once more (a stopping session finishes its acknowledgements).</summary>
    public Task WaitForAcknowledgementsAsync(TimeSpan timeout)
    {
        RetryFailed();
        return Task.WhenAll(_acknowledgements.Select(a => a.Done)).WaitAsync(timeout).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private static readonly ResiliencePropertyKey<int> AcknowledgedCount = new("acknowledged");

    /// <summary>Four retries, 200 ms growing linearly (jittered); then the next drain, or the session's end, tries again.</summary>
    private ResiliencePipeline AcknowledgeRetries => field ??= Retries.Build(
        TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), DelayBackoffType.Linear,
        handles: ex => ex is not OutOfMemoryException,
        onRetry: args => logger.AcknowledgeFailed(args.Outcome.Exception!, args.Context.Properties.GetValue(AcknowledgedCount, 0), client, args.AttemptNumber + 1),
        attempts: 4);

    /// <summary>Deletes pushed messages; on failure they stay stored (and unconfirmed, so not pushed twice).</summary>
    private async Task<bool> AcknowledgeAsync(long[] ids)
    {
        var context = ResilienceContextPool.Shared.Get(CancellationToken.None);
        context.Properties.Set(AcknowledgedCount, ids.Length);
        try
        {
            await AcknowledgeRetries.ExecuteAsync(async _ => await inbox.Acknowledge(ids), context);
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.AcknowledgeGivenUp(ex, ids.Length, client);
            return false;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
