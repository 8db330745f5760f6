using System.Net;
using Microsoft.Extensions.Options;
using NymGateway.EdgeHost.Presence;
using Xunit;

namespace NymGateway.Tests.Telemetry;

/// <summary>The presence notifier logs the changes of the validator registration, not every renewal.</summary>
[Trait("Category", "Unit")]
public sealed class PresenceLogTests
{
    [Fact]
    public async Task Registered_failing_and_working_again_are_logged_once_each()
    {
        // ok, ok, fail, fail, ok, ok, then ok for ever
        var answers = new Queue<HttpStatusCode>([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.InternalServerError,
            HttpStatusCode.InternalServerError, HttpStatusCode.OK, HttpStatusCode.OK]);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var validator = new StubValidator(() =>
        {
            lock (answers)
            {
                if (answers.Count == 0)
                {
                    done.TrySetResult();
                    return HttpStatusCode.OK;
                }
                return answers.Dequeue();
            }
        });
        var log = new RecordingLogger<PresenceNotifier>();
        var options = new PresenceOptions { ValidatorUrl = "http://validator.test", Interval = TimeSpan.FromMilliseconds(20), UnregisterOnShutdown = false };
        using var http = new HttpClient(validator);
        using var notifier = new PresenceNotifier(new ValidatorClient(http), Options.Create(options), log);

        await notifier.StartAsync(CancellationToken.None);
        await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await notifier.StopAsync(CancellationToken.None);

        Assert.Equal(
            [
                "Information: Starting presence notifier...",
                "Information: Registered with the validator http://validator.test; renewing every 00:00:00.0200000",
                "Warning: failed to register with the validator http://validator.test - Response status code does not indicate success: 500 (Internal Server Error).; retrying every 00:00:00.0200000",
                "Information: Registration with the validator http://validator.test works again",
            ],
            log.Lines.Where(line => !line.StartsWith("Debug", StringComparison.Ordinal)));
    }

    private sealed class StubValidator(Func<HttpStatusCode> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(answer()));
    }
}
