using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace NymGateway.Grains.Storage;

/// <summary>How much an inbox may hold and for how long; config.toml's [storage] section derives from this class (the descriptions are its comments).</summary>
public class InboxRetention
{
    [Description("Most messages kept for one client; further ones are dropped until it drains.")]
    [Range(1, int.MaxValue)]
    public int MaxMessagesPerInbox { get; set; } = 10_000;

    /// <summary>Upstream later chose 24 h too.</summary>
    [Description("Messages older than this are deleted.")]
    public TimeSpan MaxMessageAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Short, as the held message's mix connection waits for it (its SURB-ACK does).</summary>
    [Description("A message for a connected client is pushed at once and held in memory this long before it is written: if its\nwebsocket send completes first, only its replay tag is written, and its SURB-ACK leaves then.")]
    public TimeSpan OnlineWriteDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    [Description("How often old messages are swept.")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}
