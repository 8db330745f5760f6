using NymGateway.Nym.Keys;

namespace NymGateway.Mixnet;

/// <summary>Key files in 0.9.2's pemstore format, read with an error that names the file.</summary>
public static class PemFiles
{
    public static byte[] Read(string directory, string file, string tag, int length)
    {
        var path = Path.Combine(directory, file);
        return PemKey.TryDecode(File.ReadAllText(path), tag, length, out var bytes, out var error)
            ? bytes
            : throw new InvalidDataException($"{path}: {error}");
    }

    public static void Write(string directory, string file, string tag, ReadOnlySpan<byte> bytes) =>
        File.WriteAllText(Path.Combine(directory, file), PemKey.Encode(tag, bytes));
}
