using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace NymGateway.Mixnet;

/// <summary>
/// One TCP connection per next hop, opened on first use and reopened once after a failed write,
/// as 0.9.2's mix client keeps one connection per remote node. Writes to one hop are serialised.
/// </summary>
public sealed class NextHops : IAsyncDisposable
{
    private readonly ConcurrentDictionary<IPEndPoint, Hop> _hops = new();

    /// <summary>Writes one encoded frame; false when the hop cannot be reached (the packet is dropped, as 0.9.2 drops it).</summary>
    public async Task<bool> SendAsync(IPEndPoint hop, byte[] frame, CancellationToken cancellationToken)
    {
        var connection = _hops.GetOrAdd(hop, endPoint => new Hop(endPoint));
        return await connection.SendAsync(frame, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hop in _hops.Values)
        {
            await hop.DisposeAsync();
        }
    }

    private sealed class Hop(IPEndPoint endPoint) : IAsyncDisposable
    {
        private readonly SemaphoreSlim _lock = new(1, 1);
        private TcpClient? _client;

        public async Task<bool> SendAsync(byte[] frame, CancellationToken cancellationToken)
        {
            await _lock.WaitAsync(cancellationToken);
            try
            {
                for (int attempt = 0; attempt < 2; attempt++)
                {
                    try
                    {
                        if (_client is null)
                        {
                            _client = new TcpClient { NoDelay = true };
                            await _client.ConnectAsync(endPoint, cancellationToken);
                        }
                        await _client.GetStream().WriteAsync(frame, cancellationToken);
                        return true;
                    }
                    catch (Exception ex) when (ex is IOException or SocketException or InvalidOperationException)
                    {
                        _client?.Dispose();
                        _client = null;
                    }
                }
                return false;
            }
            finally
            {
                _lock.Release();
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _lock.WaitAsync();
            _client?.Dispose();
            _lock.Dispose();
        }
    }
}
