namespace NymGateway.Grains.Storage;

/// <summary>A write queued for the <see cref="GroupCommitWriter"/>; completed (or failed) once its commit is over.</summary>
public abstract class PendingWrite
{
    /// <param name="result">Per message, its <see cref="AppendOutcome"/> (appends); null for deletes.</param>
    public abstract void Complete(AppendOutcome[]? result);

    public abstract void Fail(Exception error);
}

/// <summary>Messages of one delivery to one inbox, with their replay tags.</summary>
public sealed class AppendWrite(string address, IReadOnlyList<NewMessage> messages, ReadOnlyMemory<byte> replayTags, Guid deliveryId, long receivedAt) : PendingWrite
{
    private readonly TaskCompletionSource<AppendOutcome[]> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Address { get; } = address;

    public IReadOnlyList<NewMessage> Messages { get; } = messages;

    public Guid DeliveryId { get; } = deliveryId;

    public long ReceivedAt { get; } = receivedAt;

    public ReadOnlySpan<byte> Tag(int message) => replayTags.Span.Slice(message * ReplayProtection.TagSize, ReplayProtection.TagSize);

    public Task<AppendOutcome[]> Completion => _completion.Task;

    public override void Complete(AppendOutcome[]? result) => _completion.TrySetResult(result!);

    public override void Fail(Exception error) => _completion.TrySetException(error);
}

/// <summary>A write with nothing to say but that it was committed.</summary>
public abstract class PlainWrite : PendingWrite
{
    private readonly TaskCompletionSource<bool> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<bool> Completion => _completion.Task;

    public override void Complete(AppendOutcome[]? result) => _completion.TrySetResult(true);

    public override void Fail(Exception error) => _completion.TrySetException(error);
}

/// <summary>Delivered messages to delete.</summary>
public sealed class DeleteWrite(IReadOnlyList<long> ids) : PlainWrite
{
    public IReadOnlyList<long> Ids { get; } = ids;
}

/// <summary>One statement of the client ledger (a client's keys, its session), with its parameters by name.</summary>
public sealed class LedgerWrite(string sql, IReadOnlyList<(string Name, object Value)> parameters) : PlainWrite
{
    public string Sql { get; } = sql;

    public IReadOnlyList<(string Name, object Value)> Parameters { get; } = parameters;
}
