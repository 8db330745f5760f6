using System.Net;

namespace NymGateway.EdgeHost;

/// <summary>Listeners and limits of one edge host.</summary>
public sealed class EdgeOptions
{
    /// <summary>Where mix nodes connect (0.9.2 default 0.0.0.0:1789).</summary>
    public IPEndPoint MixListen { get; set; } = new(IPAddress.Any, 1789);

    /// <summary>Where clients open websockets (0.9.2 default 0.0.0.0:9000).</summary>
    public IPEndPoint ClientsListen { get; set; } = new(IPAddress.Any, 9000);

    /// <summary>Open mix connections allowed from one IP address.</summary>
    public int MaxMixConnectionsPerIp { get; set; } = 64;

    /// <summary>Open client websockets allowed from one IP address.</summary>
    public int MaxClientConnectionsPerIp { get; set; } = 256;

    /// <summary>Frames unwrapped and delivered together from one mix connection.</summary>
    public int MaxFramesPerBatch { get; set; } = 256;

    /// <summary>Largest websocket message accepted from a client (a ForwardSphinx of an extended packet is 33,185 bytes).</summary>
    public int MaxClientMessageBytes { get; set; } = 64 * 1024;

    /// <summary>How long a connected client's inbox may go without a full re-read from the store.</summary>
    public TimeSpan InboxRedrainInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Stored messages read per page when draining an inbox.</summary>
    public int InboxPageSize { get; set; } = 256;

    /// <summary>On stop, how long open connections get to store what they received and close, and the forwarder to send its queue.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time a client has to finish authentication or registration.</summary>
    public TimeSpan AuthenticationTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
