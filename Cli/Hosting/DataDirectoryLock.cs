namespace NymGateway.Cli.Hosting;

/// <summary>
/// Keeps a second `run` of the same gateway (same SQLite file and keys) from starting beside the
/// first, as 0.9.2's sled lock did. The lock is an exclusive open of a file in the data directory,
/// which .NET takes with flock on Linux; the kernel drops it when the process dies, even on kill -9.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    /// <exception cref="ArgumentException">Another process holds the lock.</exception>
    public static DataDirectoryLock Acquire(string databasePath)
    {
        var path = databasePath + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            return new DataDirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex)
        {
            throw new ArgumentException($"Another nym-gateway process is running on {databasePath} (it holds {path}). Stop it first; two gateways on one database and key set would serve clients from the same inboxes twice.", ex);
        }
    }

    public void Dispose() => _file.Dispose();
}
