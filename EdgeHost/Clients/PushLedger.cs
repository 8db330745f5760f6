using NymGateway.EdgeHost.Resilience;
using NymGateway.Grains;
using Polly;

namespace NymGateway.EdgeHost.Clients;

/// <summary>
/// What one session pushed and acknowledged, so no message goes out twice. Ids increase per
/// inbox, so an event's message at or below the highest id pushed was pushed already (by a drain
/// that ran ahead of the event). A drain re-reads the whole store, and there the watermark is not
/// enough: a message whose notification was lost (a full queue, a dead silo) may sit below it,
/// unpushed; so a drain skips exactly the ids pushed whose delete was not yet confirmed.
/// </summary>
internal sealed class PushLedger(IInboxGrain inbox, ClientAddressPrefix client, ILogger logger)
{
    private readonly HashSet<long> _unconfirmed = [];
    private readonly List<(Task<bool> Done, long[] Ids)> _acknowledgements = [];

    public long HighestPushed { get; private set; }

    /// <summary>
    /// Forgets the ids whose delete completed (a read that starts now cannot return them). Ids
    /// whose delete is under way or failed stay, so a slow or failing database holds nothing up;
    /// the failed ones are acknowledged again (see <see cref="RetryFailed"/>).
    /// </summary>
    public void BeginDrain() => RetryFailed();

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
        fromEvent ? message.Id > HighestPushed : !_unconfirmed.Contains(message.Id);

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
