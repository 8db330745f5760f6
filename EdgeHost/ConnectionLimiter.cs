using System.Collections.Concurrent;
using System.Net;

namespace NymGateway.EdgeHost;

/// <summary>Counts open connections per remote IP and refuses those over the limit.</summary>
public sealed class ConnectionLimiter(int maxPerAddress)
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();

    public bool TryAcquire(IPAddress? address)
    {
        if (address is null)
        {
            return true;
        }
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

    public void Release(IPAddress? address)
    {
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
}
