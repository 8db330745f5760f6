using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace NymGateway.Cli.Hosting;

/// <summary>
/// The hosts' lifetime: SIGINT, SIGTERM and SIGQUIT start a graceful stop and are remembered by
/// name. It replaces the console lifetime, whose SIGTERM handler holds the runtime's signal thread
/// until the host is disposed and then lets the runtime exit with 143, cutting the drain short.
/// </summary>
public sealed class SignalLifetime(IHostApplicationLifetime application) : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signal; // a PosixSignal (all negative), 0 until one arrives

    /// <summary>The first signal received, if any.</summary>
    public PosixSignal? Signal => Volatile.Read(ref _signal) is var signal and not 0 ? (PosixSignal)signal : null;

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Interlocked.CompareExchange(ref _signal, (int)context.Signal, 0);
        // Off the signal thread: stopping callbacks must not run on it.
        _ = Task.Run(application.StopApplication);
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }
}
