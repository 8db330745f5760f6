using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting.Systemd;

namespace NymGateway.Cli.Hosting;

/// <summary>
/// The hosts' lifetime, in place of the console's and systemd's: SIGINT, SIGTERM and SIGQUIT start
/// a graceful stop (off the runtime's signal thread) and are remembered by name for the stop line.
/// Under systemd it also reports readiness and the stop (the notifier exists only there).
/// </summary>
public sealed class SignalLifetime(IHostApplicationLifetime application, ISystemdNotifier? systemd = null) : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signal; // a PosixSignal (all negative), 0 until one arrives

    /// <summary>The first signal received, if any.</summary>
    public PosixSignal? Signal => Volatile.Read(ref _signal) is var signal and not 0 ? (PosixSignal)signal : null;

    /// <summary>Handles the signals from the moment the host resolves it, so a host still waiting for its database stops gracefully too.</summary>
    public SignalLifetime Listen()
    {
        lock (_registrations)
        {
            if (_registrations.Count == 0)
            {
                foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT })
                {
                    _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
                }
            }
        }
        return this;
    }

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        Listen();
        if (systemd is not null)
        {
            application.ApplicationStarted.Register(() => systemd.Notify(ServiceState.Ready));
            application.ApplicationStopping.Register(() => systemd.Notify(ServiceState.Stopping));
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
