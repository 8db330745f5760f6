using System.Collections.Concurrent;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace NymGateway.EdgeHost;

/// <summary>
/// This edge's connections to the silos, each with the time it last received anything. Behind a
/// partition TCP retransmits with exponential backoff, so after a 20 s cut an old connection
/// resumes only at its next retransmission, seconds after the heal. When a call times out,
/// <see cref="AbortSilent"/> aborts the connections that heard nothing meanwhile: Orleans fails
/// the calls waiting on them at once (their callers retry) and opens fresh ones, which work as
/// soon as the network does. Empty in a single process (no connections).
/// </summary>
public sealed partial class SiloConnectionWatch(TimeProvider time, ILogger<SiloConnectionWatch> logger)
{
    private readonly ConcurrentDictionary<ConnectionContext, Heard> _connections = new();

    /// <summary>Watches every connection the Orleans client opens (its connection middleware).</summary>
    public void Use(IConnectionBuilder builder) => builder.Use(next => async context =>
    {
        var heard = new Heard(time);
        context.Transport = new ListenedTransport(context.Transport, heard);
        _connections[context] = heard;
        try
        {
            await next(context);
        }
        finally
        {
            _connections.TryRemove(context, out _);
        }
    });

    /// <summary>Aborts every connection that received nothing for <paramref name="silence"/>; how many it aborted.</summary>
    public int AbortSilent(TimeSpan silence)
    {
        int aborted = 0;
        foreach (var (connection, heard) in _connections)
        {
            var silent = heard.SilentFor;
            if (silent > silence && heard.TryAbort())
            {
                LogAborting(logger, connection.RemoteEndPoint, silent);
                connection.Abort(new ConnectionAbortedException($"nothing received for {silent}"));
                aborted++;
            }
        }
        return aborted;
    }

    private sealed class Heard(TimeProvider time)
    {
        private long _last = time.GetTimestamp();
        private int _aborted;

        public TimeSpan SilentFor => time.GetElapsedTime(Interlocked.Read(ref _last));

        public void Now() => Interlocked.Exchange(ref _last, time.GetTimestamp());

        /// <summary>True the first time only: concurrent timed-out callers abort a connection once.</summary>
        public bool TryAbort() => Interlocked.Exchange(ref _aborted, 1) == 0;
    }

    [LoggerMessage(EventId = 451, Level = LogLevel.Warning, Message = "A call to the cluster timed out and the connection to {Silo} received nothing for {Silent}: aborting it, calls on it are retried on a fresh one")]
    private static partial void LogAborting(ILogger logger, System.Net.EndPoint? silo, TimeSpan silent);

    private sealed class ListenedTransport(IDuplexPipe inner, Heard heard) : IDuplexPipe
    {
        public PipeReader Input { get; } = new Reader(inner.Input, heard);
        public PipeWriter Output => inner.Output;
    }

    /// <summary>The connection's input, noting when bytes arrive.</summary>
    private sealed class Reader(PipeReader inner, Heard heard) : PipeReader
    {
        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) => Note(await inner.ReadAsync(cancellationToken));

        public override bool TryRead(out ReadResult result)
        {
            if (!inner.TryRead(out result))
            {
                return false;
            }
            Note(result);
            return true;
        }

        private ReadResult Note(ReadResult result)
        {
            if (!result.Buffer.IsEmpty)
            {
                heard.Now();
            }
            return result;
        }

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);
    }
}
