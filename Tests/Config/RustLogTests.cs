using NymGateway.Cli.Hosting;
using Xunit;

namespace NymGateway.Tests.Config;

/// <summary>RUST_LOG as 0.9.2's operators write it becomes .NET log levels.</summary>
[Trait("Category", "Config")]
public sealed class RustLogTests
{
    [Fact]
    public void A_bare_level_is_the_default_and_target_level_a_category()
    {
        var levels = new Dictionary<string, string?>();
        RustLog.AddTo(levels, "warn, nym_gateway=debug,Orleans=info,bogus=loud");

        Assert.Equal("Warning", levels["Logging:LogLevel:Default"]);
        Assert.Equal("Debug", levels["Logging:LogLevel:nym_gateway"]);
        Assert.Equal("Information", levels["Logging:LogLevel:Orleans"]);
        Assert.False(levels.ContainsKey("Logging:LogLevel:bogus"));
    }
}
