using System.Text.Json;

namespace NymGateway.Tests.Nym;

/// <summary>
/// Loads one vector file: from $NYM_VECTORS_DIR when it is set, else from the copy in the repo.
/// A missing file fails the test; it never skips.
/// </summary>
public sealed class VectorFile
{
    public const string DirectoryVariable = "NYM_VECTORS_DIR";

    private VectorFile(string path, JsonElement root)
    {
        Path = path;
        Root = root;
    }

    public string Path { get; }
    public JsonElement Root { get; }

    public IEnumerable<JsonElement> Cases => Root.GetProperty("cases").EnumerateArray();
    public IEnumerable<JsonElement> NegativeCases => Root.GetProperty("negative_cases").EnumerateArray();

    public static string Directory =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } dir
            ? dir
            : System.IO.Path.Combine(AppContext.BaseDirectory, "Vectors");

    public static VectorFile Load(string name)
    {
        var path = System.IO.Path.Combine(Directory, name + ".json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"vector file {name}.json is missing from {Directory} (set {DirectoryVariable} or restore Tests/Vectors)", path);
        }
        using var stream = File.OpenRead(path);
        var document = JsonDocument.Parse(stream);
        var file = new VectorFile(path, document.RootElement.Clone());
        if (!file.Cases.Any())
        {
            throw new InvalidDataException($"{path} holds no positive cases");
        }
        return file;
    }
}

public static class JsonVectorExtensions
{
    public static byte[] Hex(this JsonElement element, string property) =>
        Convert.FromHexString(element.GetProperty(property).GetString()!);

    public static string Str(this JsonElement element, string property) =>
        element.GetProperty(property).GetString()!;

    public static string Name(this JsonElement element) => element.Str("name");

    /// <summary>The Rust error variant name: "InvalidMixPacket(InvalidPacketSize(10))" gives "InvalidMixPacket".</summary>
    public static string Variant(string rustDebug)
    {
        int paren = rustDebug.IndexOfAny(['(', ' ', '{']);
        return paren < 0 ? rustDebug : rustDebug[..paren];
    }

    /// <summary>The innermost variant: "InvalidMixPacket(InvalidPacketSize(10))" gives "InvalidPacketSize".</summary>
    public static string InnerVariant(string rustDebug)
    {
        int open = rustDebug.IndexOf('(');
        if (open < 0)
        {
            return rustDebug;
        }
        var inner = rustDebug[(open + 1)..rustDebug.LastIndexOf(')')];
        return char.IsLetter(inner.FirstOrDefault()) ? Variant(inner) : Variant(rustDebug);
    }
}
