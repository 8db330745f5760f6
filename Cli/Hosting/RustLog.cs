namespace NymGateway.Cli.Hosting;

/// <summary>RUST_LOG as 0.9.2's operators set it ("info", "warn,nym_gateway=debug"): a bare level is the default, target=level a category.</summary>
public static class RustLog
{
    public static void AddTo(Dictionary<string, string?> levels, string? rustLog)
    {
        foreach (var directive in (rustLog ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = directive.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                GatewayLogging.Set(levels, "Default", directive);
            }
            else
            {
                GatewayLogging.Set(levels, directive[..equals], directive[(equals + 1)..]);
            }
        }
    }
}
