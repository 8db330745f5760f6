namespace NymGateway.Fleet;

/// <summary>A fresh $HOME for gateway processes under test, removed afterwards (best effort).</summary>
public sealed class TemporaryHome : IDisposable
{
    public TemporaryHome(string purpose)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), purpose, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
