using NymGateway.Load.Options;
using Xunit;

namespace NymGateway.Tests.Load;

[Trait("Category", "Unit")]
public sealed class LoadCommandTests
{
    [Theory]
    [InlineData("--seconds", "0", "--seconds")]
    [InlineData("--mode", "triple", "triple")]
    [InlineData("--edges", "9", "--edges")]
    [InlineData("--latency-rate", "-5", "--latency-rate")]
    [InlineData("--clients", "many", "many")]
    [InlineData("--frobnicate", "1", "--frobnicate")]
    public async Task A_bad_option_is_one_line_and_exit_code_2_and_nothing_runs(string option, string value, string named)
    {
        var error = new StringWriter();
        bool ran = false;

        int code = await LoadCommand.InvokeAsync([option, value], (_, _) => { ran = true; return Task.FromResult(0); }, error);

        Assert.Equal(2, code);
        Assert.False(ran);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("nym-load: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(named, lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Good_options_reach_the_run()
    {
        LoadOptions? seen = null;

        int code = await LoadCommand.InvokeAsync(["--mode", "cluster", "--edges", "3", "--seconds", "4", "--latency-rate", "500", "--database", "Host=db"],
            (options, _) => { seen = options; return Task.FromResult(7); }, new StringWriter());

        Assert.Equal(7, code);
        Assert.Equal(new LoadOptions { Mode = GatewayMode.Cluster, Edges = 3, Phase = TimeSpan.FromSeconds(4), LatencyRate = 500, Database = "Host=db" }, seen);
        Assert.Equal(TimeSpan.FromSeconds(4), seen!.WarmUp);
    }
}
