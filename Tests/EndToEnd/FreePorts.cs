using System.Net;
using System.Net.Sockets;

namespace NymGateway.Tests.EndToEnd;

public static class FreePorts
{
    /// <summary>Ports the OS has just handed out, so parallel test hosts do not collide.</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ =>
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return listener;
        }).ToList();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}
