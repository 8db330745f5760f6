using NymGateway.Cli.Config;

namespace NymGateway.Cli;

/// <summary>The banner 0.9.2 prints before every command.</summary>
public static class Banner
{
    public static string Text => $"""


              _ __  _   _ _ __ ___
             | '_ \| | | | '_ \ _ \
             | | | | |_| | | | | | |
             |_| |_|\__, |_| |_| |_|
                    |___/

                     (gateway - version {GatewayConfig.Version})

        """;
}
