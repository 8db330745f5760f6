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

    [Description("How often old messages are swept.")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}
