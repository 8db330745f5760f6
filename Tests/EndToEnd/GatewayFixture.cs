using Xunit;

namespace NymGateway.Tests.EndToEnd;

/// <summary>
/// One gateway for every test of a class (an xunit class fixture), for tests that need a running
/// gateway but not a fresh one: each registers clients of its own and brings its own mix node.
/// Small batches, so a burst spans many of them; a one-second re-read, so a lost notification
/// shows within a test's timeout.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public SingleProcessGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync() => Gateway = await SingleProcessGateway.StartAsync(c =>
    {
        c.Limits.MaxFramesPerBatch = 8;
        c.Cluster.InboxRedrainInterval = TimeSpan.FromSeconds(1);
    });

    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}
