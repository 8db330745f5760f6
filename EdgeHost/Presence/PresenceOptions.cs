namespace NymGateway.EdgeHost.Presence;

/// <summary>What the gateway announces to the validator (the 0.9.2 directory), and how often.</summary>
public sealed class PresenceOptions
{
    /// <summary>The validator's REST endpoint; empty turns presence off.</summary>
    public string ValidatorUrl { get; set; } = "";

    /// <summary>host:port mix nodes reach us on.</summary>
    public string MixAnnounceAddress { get; set; } = "";

    /// <summary>ws://host:port clients reach us on.</summary>
    public string ClientsAnnounceAddress { get; set; } = "";

    public string IdentityKey { get; set; } = "";
    public string SphinxKey { get; set; } = "";
    public string Version { get; set; } = "0.9.2";
    public string Location { get; set; } = "unknown";
    public string IncentivesAddress { get; set; } = "";

    /// <summary>0.9.2's presence sending delay.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether to unregister on a clean shutdown, as 0.9.2 does on Ctrl-C.</summary>
    public bool UnregisterOnShutdown { get; set; } = true;
}
