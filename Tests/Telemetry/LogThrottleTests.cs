using Microsoft.Extensions.Time.Testing;
using NymGateway.EdgeHost.Telemetry;
using Xunit;

namespace NymGateway.Tests.Telemetry;

[Trait("Category", "Unit")]
public sealed class LogThrottleTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingLogger<LogThrottleTests> _log = new();

    [Fact]
    public void A_flood_gives_one_line_then_one_summary_with_the_suppressed_count_when_the_window_closes()
    {
        var throttle = new LogThrottle(_log, "Binary frame before authentication", _time);

        var passed = Enumerable.Range(0, 150).Count(_ => throttle.TryEnter());
        Assert.Equal(1, passed);
        Assert.Empty(_log.Lines);

        _time.Advance(TimeSpan.FromSeconds(9.999));
        Assert.Empty(_log.Lines);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(["Warning: Binary frame before authentication (149 more suppressed in the last 10s)"], _log.Lines);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(_log.Lines);
    }

    [Fact]
    public void A_quiet_window_has_no_summary_and_the_next_window_lets_lines_through_again()
    {
        var throttle = new LogThrottle(_log, "Corrupted mix connection", _time, limit: 2);

        Assert.True(throttle.TryEnter());
        Assert.True(throttle.TryEnter());
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(_log.Lines);

        Assert.True(throttle.TryEnter());
        Assert.True(throttle.TryEnter());
        Assert.False(throttle.TryEnter());
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(throttle.TryEnter());
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(["Warning: Corrupted mix connection (2 more suppressed in the last 10s)"], _log.Lines);
        Assert.True(throttle.TryEnter());
    }

    [Fact]
    public void The_window_starts_with_its_first_line_not_with_the_throttle()
    {
        var throttle = new LogThrottle(_log, "Bad request", _time);
        _time.Advance(TimeSpan.FromSeconds(25));

        Assert.True(throttle.TryEnter());
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.False(throttle.TryEnter());
        _time.Advance(TimeSpan.FromSeconds(6.5));
        Assert.Empty(_log.Lines);
        _time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(["Warning: Bad request (1 more suppressed in the last 10s)"], _log.Lines);
    }

    [Fact]
    public void Lines_about_several_events_are_summarized_by_their_events()
    {
        var throttle = new LogThrottle(_log, "Packets dropped by the forwarder (HopUnreachable)", _time);

        Assert.True(throttle.TryEnter(7));
        Assert.False(throttle.TryEnter(250));
        Assert.False(throttle.TryEnter(1));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(["Warning: Packets dropped by the forwarder (HopUnreachable) (251 more suppressed in the last 10s)"], _log.Lines);
    }
}
