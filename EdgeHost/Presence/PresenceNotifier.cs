using Microsoft.Extensions.Options;

namespace NymGateway.EdgeHost.Presence;

/// <summary>
/// Registers the gateway with the validator on start and again on every interval, so the
/// directory keeps it listed; an unreachable validator is logged and retried, never fatal.
/// Only changes are logged at Info or Warning (registered, failing, working again); the renewals
/// in between at Debug. Unregisters as the host begins to stop, before the listeners close, so
/// the directory stops sending traffic while the connections drain.
/// </summary>
public sealed class PresenceNotifier(ValidatorClient validator, IOptions<PresenceOptions> options, ILogger<PresenceNotifier> logger)
    : BackgroundService, IHostedLifecycleService
{
    private readonly PresenceOptions _options = options.Value;
    private readonly CancellationTokenSource _stopping = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _stopping.Token);
        var stopping = linked.Token;
        if (string.IsNullOrEmpty(_options.ValidatorUrl))
        {
            logger.NoValidator();
            return;
        }
        logger.Starting();
        var info = new GatewayRegistrationInfo(_options.MixAnnounceAddress, _options.IdentityKey, _options.SphinxKey,
            _options.Version, _options.Location, _options.IncentivesAddress, _options.ClientsAnnounceAddress);
        using var timer = new PeriodicTimer(_options.Interval);
        bool? registered = null;
        do
        {
            try
            {
                await validator.RegisterAsync(_options.ValidatorUrl, info, stopping);
                LogRegistered(registered);
                registered = true;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stopping.IsCancellationRequested)
            {
                if (registered == false)
                {
                    logger.StillFailing(_options.ValidatorUrl, ex.Message);
                }
                else
                {
                    logger.RegistrationFailed(_options.ValidatorUrl, ex.Message, _options.Interval);
                }
                registered = false;
            }
        }
        while (await timer.WaitForNextTickAsync(stopping).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default));
    }

    /// <param name="before">Null on the first attempt, false after a failure.</param>
    private void LogRegistered(bool? before)
    {
        switch (before)
        {
            case null:
                logger.Registered(_options.ValidatorUrl, _options.Interval);
                break;
            case false:
                logger.Recovered(_options.ValidatorUrl);
                break;
            default:
                logger.Renewed(_options.ValidatorUrl);
                break;
        }
    }

    /// <summary>Runs before any hosted service stops: no re-registration after this, then the unregistration.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (ExecuteTask is { } loop)
        {
            await loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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
            logger.Unregistered();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            logger.UnregistrationFailed(ex.Message);
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
