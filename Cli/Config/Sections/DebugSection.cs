using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace NymGateway.Cli.Config.Sections;

/// <summary>[debug]: 0.9.2's keys and defaults.</summary>
public sealed class DebugSection
{
    [Description("Initial value of an exponential backoff to reconnect to dropped TCP connection when\nforwarding sphinx packets.")]
    public TimeSpan PacketForwardingInitialBackoff { get; set; } = TimeSpan.FromSeconds(10);

    [Description("Maximum value of an exponential backoff to reconnect to dropped TCP connection when\nforwarding sphinx packets.")]
    public TimeSpan PacketForwardingMaximumBackoff { get; set; } = TimeSpan.FromSeconds(300);

    [Description("Timeout for establishing initial connection when trying to forward a sphinx packet.")]
    public TimeSpan InitialConnectionTimeout { get; set; } = TimeSpan.FromMilliseconds(1500);

    [Description("Maximum number of packets that can be stored waiting to get sent to a particular connection.")]
    [Range(1, int.MaxValue)]
    public int MaximumConnectionBufferSize { get; set; } = 32;

    [Description("Delay between each subsequent presence data being sent.")]
    public TimeSpan PresenceSendingDelay { get; set; } = TimeSpan.FromSeconds(10);

    [Description("Length of filenames for new client messages.\n(Kept for 0.9.2: messages now live in the database.)")]
    public int StoredMessagesFilenameLength { get; set; } = 16;

    [Description("Number of messages client gets on each request.\n(Kept for 0.9.2: stored messages are now pushed as they are read.)")]
    public int MessageRetrievalLimit { get; set; } = 5;

    [Description("Duration for which a cached vpn processing result is going to get stored for.\n(Kept for 0.9.2: nothing is cached.)")]
    public TimeSpan CacheEntryTtl { get; set; } = TimeSpan.FromSeconds(30);
}
