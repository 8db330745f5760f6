using System.Net;
using System.Net.Sockets;

namespace NymGateway.Tests.EndToEnd;

public static class FreePorts
{
    // Below Linux's ephemeral range (32768+), so outgoing connections never take a port a test host is about to bind.
    private static int _next = 20_000 + Environment.ProcessId % 500 * 20;

    /// <summary>Ports no other test of this run has been given and that are free right now.</summary>
    public static int[] Take(int count)
    {
        var ports = new List<int>(count);
        while (ports.Count < count)
        {
            int port = Interlocked.Increment(ref _next);
            if (port > 32_000)
            {
                Interlocked.Exchange(ref _next, 20_000);
                continue;
            }
            if (IsFree(port))
            {
                ports.Add(port);
            }
        }
        return [.. ports];
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
