using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NymGateway.EdgeHost.Presence;

/// <summary>
/// Registers the gateway with the validator on start and again on every interval, so the
/// directory keeps it listed; an unreachable validator is logged and retried, never fatal.
/// Unregisters as the host begins to stop, before the listeners close, so the directory stops
/// sending traffic while the connections drain.
/// </summary>
public sealed class PresenceNotifier(ValidatorClient validator, IOptions<PresenceOptions> options, ILogger<PresenceNotifier> logger)
    : BackgroundService, IHostedLifecycleService
{
    private readonly PresenceOptions _options = options.Value;
    private readonly CancellationTokenSource _stopping = new();

    protected override async Task ExecuteAsync(CancellationToken hostStopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(hostStopping, _stopping.Token);
        var stoppingToken = linked.Token;
        if (string.IsNullOrEmpty(_options.ValidatorUrl))
        {
            logger.LogInformation("No validator configured; presence notifications are off");
            return;
        }
        logger.LogInformation("Starting presence notifier...");
        var info = new GatewayRegistrationInfo(_options.MixAnnounceAddress, _options.IdentityKey, _options.SphinxKey,
            _options.Version, _options.Location, _options.IncentivesAddress, _options.ClientsAnnounceAddress);
        using var timer = new PeriodicTimer(_options.Interval);
        do
        {
            try
            {
                await validator.RegisterAsync(_options.ValidatorUrl, info, stoppingToken);
                logger.LogDebug("Registered presence with {Validator}", _options.ValidatorUrl);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("failed to register with the validator {Validator} - {Error}; retrying in {Interval}",
                    _options.ValidatorUrl, ex.Message, _options.Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default));
    }

    /// <summary>Runs before any hosted service stops: no re-registration after this, then the unregistration.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (ExecuteTask is { } loop)
        {
            await loop.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        // A loop that failed never registered (the host reports its error and stops).
        if (string.IsNullOrEmpty(_options.ValidatorUrl) || !_options.UnregisterOnShutdown || ExecuteTask is { IsFaulted: true })
        {
            return;
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await validator.UnregisterAsync(_options.ValidatorUrl, _options.IdentityKey, timeout.Token);
            logger.LogInformation("unregistration was successful!");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            logger.LogError("failed to unregister with validator... - {Error}", ex.Message);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Dispose()
    {
        _stopping.Dispose();
        base.Dispose();
    }
}
