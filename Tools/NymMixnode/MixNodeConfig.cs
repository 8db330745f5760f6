namespace NymGateway.Tools.NymMixnode;

/// <summary>config.toml of a local mix node: what `init` decided, read again by `run`.</summary>
public sealed class MixNodeConfig
{
    public MixNodeSection Mixnode { get; set; } = new();

    public sealed class MixNodeSection
    {
        public string Id { get; set; } = "";

        /// <summary>1, 2 or 3: where in a route the node sits.</summary>
        public int Layer { get; set; }

        /// <summary>ip:port the node listens on for sphinx packets.</summary>
        public string ListeningAddress { get; set; } = "";
    }
}
