using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace NymGateway.Grains;

/// <summary>
/// How long and how precisely packets are remembered against replays; config.toml's [replay]
/// binds into this class (the descriptions are its comments). The edges size their in-memory
/// filters from it, the silos sweep the stored tags by its window.
/// </summary>
public sealed class ReplayProtection
{
    /// <summary>Bytes of one replay tag (the Sphinx layer's <c>SphinxConstants.ReplayTagSize</c>; grains do not reference it).</summary>
    public const int TagSize = 32;

    [Description("How long a packet is remembered: a copy arriving within this window is dropped, a later one is accepted again.\n(0.9.2 keys never rotate, so some window must bound the memory; a day matches max_message_age.)")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    [Description("Packets per second one edge is sized for; its filter takes 2 x rate x window x log2(false_positive_one_in) / ln 2 bits\n(the defaults: 52 MB). Above this rate the false positives grow.")]
    [Range(1, 1_000_000)]
    public int ExpectedPacketsPerSecond { get; set; } = 100;

    [Description("At the expected rate, one fresh packet in this many is taken for a replay and dropped (its sender retransmits).")]
    [Range(100, 1_000_000_000)]
    public int FalsePositiveOneIn { get; set; } = 100_000;

    /// <summary>Tags one edge filter generation holds at the expected rate.</summary>
    public long ExpectedItems() => (long)Math.Ceiling(ExpectedPacketsPerSecond * Window.TotalSeconds);
}
