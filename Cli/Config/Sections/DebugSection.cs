using System.ComponentModel;
using NymGateway.EdgeHost.Forwarding;

namespace NymGateway.Cli.Config.Sections;

/// <summary>[debug]: 0.9.2's keys and defaults; the forwarder's are its options class itself.</summary>
public sealed class DebugSection : ForwarderOptions
{
    [Description("Delay between each subsequent presence data being sent.")]
    public TimeSpan PresenceSendingDelay { get; set; } = TimeSpan.FromSeconds(10);

    [Description("Length of filenames for new client messages.\n(Kept for 0.9.2: messages now live in the database.)")]
    public int StoredMessagesFilenameLength { get; set; } = 16;

    [Description("Number of messages client gets on each request.\n(Kept for 0.9.2: stored messages are now pushed as they are read.)")]
    public int MessageRetrievalLimit { get; set; } = 5;

    [Description("Duration for which a cached vpn processing result is going to get stored for.\n(Kept for 0.9.2: nothing is cached.)")]
    public TimeSpan CacheEntryTtl { get; set; } = TimeSpan.FromSeconds(30);
}
