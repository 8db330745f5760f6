using Microsoft.Extensions.Options;
using NymGateway.EdgeHost.Forwarding;

namespace NymGateway.EdgeHost.Shutdown;

/// <summary>
/// The edge's part of a graceful stop. It runs before any hosted service stops (Kestrel would
/// otherwise wait out its whole shutdown timeout for connections that never end by themselves):
/// it tells every mix connection and client session to finish what it already read and close,
/// waits for them within <see cref="DrainOptions.DrainTimeout"/>, then lets the forwarder send
/// what is still queued (the SURB-ACKs of the last batches).
/// </summary>
public sealed partial class ConnectionDrain(MixPacketForwarder forwarder, IOptions<EdgeOptions> options, ILogger<ConnectionDrain> logger)
    : IHostedLifecycleService, IDisposable
{
    private readonly CancellationTokenSource _draining = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _open;

    /// <summary>Cancelled when the host starts to stop: connections finish their current work and close.</summary>
    public CancellationToken Draining => _draining.Token;

    /// <summary>Counts a connection as open until the returned handle is disposed.</summary>
    public Connection Track()
    {
        Interlocked.Increment(ref _open);
        return new Connection(this);
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        int open = Volatile.Read(ref _open);
        LogDraining(open);
        await _draining.CancelAsync();
        if (Volatile.Read(ref _open) == 0)
        {
            _idle.TrySetResult(); // the last one closed before the cancellation was visible to it
        }
        await _idle.Task.WaitAsync(options.Value.Shutdown.DrainTimeout, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var left = options.Value.Shutdown.DrainTimeout - TimeProvider.System.GetElapsedTime(started);
        int unsent = await forwarder.FlushAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        LogDrained(Volatile.Read(ref _open), unsent, TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _draining.Dispose();

    private void Release()
    {
        if (Interlocked.Decrement(ref _open) == 0 && _draining.IsCancellationRequested)
        {
            _idle.TrySetResult();
        }
    }

    /// <summary>One open connection; disposing it marks it closed.</summary>
    public readonly struct Connection(ConnectionDrain owner) : IDisposable
    {
        public void Dispose() => owner.Release();
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Stopping: closing {Open} open connection(s) after their current work")]
    private partial void LogDraining(int open);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Connections drained in {Milliseconds:F0} ms ({Open} still open, {Unsent} queued packet(s) not forwarded)")]
    private partial void LogDrained(int open, int unsent, double milliseconds);
}
