namespace NymGateway.Mixnet;

/// <summary>Where 0.9.2 keeps a node's or client's files: ~/.nym/&lt;kind&gt;/&lt;id&gt;/config and .../data.</summary>
public sealed record NymDirectories(string Root)
{
    public static NymDirectories MixNode(string id) => Of("mixnodes", id);

    public static NymDirectories Client(string id) => Of("clients", id);

    public string ConfigFile => Path.Combine(Root, "config", "config.toml");

    public string Data => Path.Combine(Root, "data");

    private static NymDirectories Of(string kind, string id) =>
        new(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nym", kind, id));
}
