using System.Net;
using System.Net.Sockets;

namespace NymGateway.Cli.Hosting;

/// <summary>
/// Checks, before anything starts, that every address a host will listen on can be bound, so a
/// taken port is one line naming its setting instead of a half-started host. It also catches a
/// second silo on the ports of a running one: Orleans binds with SO_REUSEPORT, which Linux lets
/// two processes share (the newcomer then takes part of the connections and the cluster down).
/// </summary>
public static class PortPreflight
{
    // Linux's values (the gateway's platform; elsewhere the check binds without the option).
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    /// <exception cref="ArgumentException">An address cannot be bound; the message names its setting.</exception>
    public static void EnsureFree(params (IPEndPoint EndPoint, string Setting)[] listeners)
    {
        foreach (var (endPoint, setting) in listeners)
        {
            using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            // SO_REUSEADDR alone (.NET's ReuseAddress adds SO_REUSEPORT on Linux): a port left in
            // TIME_WAIT by the previous run is free, one with a listener is not, whatever it set.
            if (OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            }
            try
            {
                socket.Bind(endPoint);
            }
            catch (SocketException ex)
            {
                throw new ArgumentException(ex.SocketErrorCode switch
                {
                    SocketError.AddressAlreadyInUse => $"{endPoint} ({setting}) is already in use: another gateway, silo or program listens there. Stop it or choose another port.",
                    SocketError.AddressNotAvailable => $"{endPoint.Address} ({setting}) is not an address of this host.",
                    SocketError.AccessDenied => $"{endPoint} ({setting}): ports below 1024 need root or CAP_NET_BIND_SERVICE.",
                    _ => $"{endPoint} ({setting}) cannot be bound: {ex.Message}",
                }, ex);
            }
        }
    }
}
