using System.Net;

namespace NymGateway.Cli.Config;

/// <summary>The value checks the file, the flags and the validator share, so each says the same about the same value.</summary>
public static class ConfigValues
{
    public static bool IsPort(int port) => port is >= 1 and <= 65535;

    /// <summary>ip:port with a real port (IPEndPoint itself accepts port 0).</summary>
    public static bool TryParseEndPoint(string text, out IPEndPoint endPoint) =>
        IPEndPoint.TryParse(text, out endPoint!) && text.Contains(':', StringComparison.Ordinal) && IsPort(endPoint.Port);

    /// <summary>Empty (presence off) or an absolute http(s) URL.</summary>
    public static bool IsValidatorUrl(string url) =>
        url.Length == 0 || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps));

    /// <summary>A DNS name or an IP address.</summary>
    public static bool IsHost(string host) => Uri.CheckHostName(host.Trim('[', ']')) != UriHostNameType.Unknown;

    /// <summary>host:port, as mix nodes dial it.</summary>
    public static bool IsMixAnnounce(string address)
    {
        int colon = address.LastIndexOf(':');
        return colon > 0 && IsHost(address[..colon]) && int.TryParse(address[(colon + 1)..], out int port) && IsPort(port);
    }

    /// <summary>ws:// or wss:// with a host, as clients open it.</summary>
    public static bool IsClientsAnnounce(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme is "ws" or "wss" && uri.Host.Length > 0;

    /// <summary>An announced address whose host is 0.0.0.0 or :: (a bind-everything address nobody can connect to).</summary>
    public static bool AnnouncesUnspecifiedHost(string address)
    {
        var host = Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme is "ws" or "wss" ? uri.Host : address[..Math.Max(0, address.LastIndexOf(':'))];
        return System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var ip) && (ip.Equals(System.Net.IPAddress.Any) || ip.Equals(System.Net.IPAddress.IPv6Any));
    }
}
