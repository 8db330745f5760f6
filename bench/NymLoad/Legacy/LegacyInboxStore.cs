using NymGateway.Nym.Encoding;

namespace NymGateway.Load.Legacy;

/// <summary>
/// A stand-in for 0.9.2's inbox storage (gateway/src/node/storage/inboxes.rs), to measure ours
/// against: a directory per client (named by its base58 address) under one root, a file per
/// message with a random 16-character alphanumeric name, written without fsync; storing, reading a
/// client's whole inbox and deleting files each hold one lock global to the gateway.
/// </summary>
public sealed class LegacyInboxStore(string root) : IDisposable
{
    private const int FileNameLength = 16; // 0.9.2's DEFAULT_STORED_MESSAGE_FILENAME_LENGTH
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private readonly SemaphoreSlim _lock = new(1, 1);

    public async Task CreateInboxAsync(byte[] address)
    {
        await _lock.WaitAsync();
        try
        {
            Directory.CreateDirectory(InboxOf(address));
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task StoreAsync(byte[] address, byte[] message)
    {
        await _lock.WaitAsync();
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(InboxOf(address), Random.Shared.GetString(Alphanumeric, FileNameLength)), message);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Every stored message of a client with its file (0.9.2 ignores its retrieval limit too).</summary>
    public async Task<List<(byte[] Content, string Path)>> RetrieveAllAsync(byte[] address)
    {
        await _lock.WaitAsync();
        try
        {
            var messages = new List<(byte[], string)>();
            foreach (var file in Directory.EnumerateFiles(InboxOf(address)))
            {
                messages.Add((await File.ReadAllBytesAsync(file), file));
            }
            return messages;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task DeleteAsync(IEnumerable<string> paths)
    {
        await _lock.WaitAsync();
        try
        {
            foreach (var path in paths)
            {
                File.Delete(path);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private string InboxOf(byte[] address) => Path.Combine(root, Base58Text.Encode(address));

    public void Dispose() => _lock.Dispose();
}
