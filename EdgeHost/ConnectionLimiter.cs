using System.Collections.Concurrent;
using System.Net;

namespace NymGateway.EdgeHost;

/// <summary>Which connection limit refused a connection.</summary>
public enum ConnectionRefusal
{
    None,
    PerIp,
    Total,
}

/// <summary>Counts open connections, in total and per remote IP, and refuses those over either limit.</summary>
public sealed class ConnectionLimiter(int maxPerAddress, int maxTotal)
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();
    private int _total;

    /// <summary>The connections open now, in total.</summary>
    public int Open => Volatile.Read(ref _total);

    /// <summary>Counts the connection as open unless that would pass a limit; <see cref="ConnectionRefusal.None"/> when it was counted.</summary>
    public ConnectionRefusal TryAcquire(IPAddress? address)
    {
        if (Interlocked.Increment(ref _total) > maxTotal)
        {
            Interlocked.Decrement(ref _total);
            return ConnectionRefusal.Total;
        }
        if (address is null || TryAcquireFor(address))
        {
            return ConnectionRefusal.None;
        }
        Interlocked.Decrement(ref _total);
        return ConnectionRefusal.PerIp;
    }

    public void Release(IPAddress? address)
    {
        Interlocked.Decrement(ref _total);
        if (address is null)
        {
            return;
        }
        while (true)
        {
            int current = _open.GetValueOrDefault(address);
            if (current <= 1 ? _open.TryRemove(new KeyValuePair<IPAddress, int>(address, current)) : _open.TryUpdate(address, current - 1, current))
            {
                return;
            }
        }
    }

    private bool TryAcquireFor(IPAddress address)
    {
        while (true)
        {
            int current = _open.GetValueOrDefault(address);
            if (current >= maxPerAddress)
            {
                return false;
            }
            if (current == 0 ? _open.TryAdd(address, 1) : _open.TryUpdate(address, current + 1, current))
            {
                return true;
            }
        }
    }
}
