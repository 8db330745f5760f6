using System.Net;
using System.Net.Sockets;

namespace NymGateway.Tests.EndToEnd;

/// <summary>
/// Stands in for 0.9.2's validator (the directory): records each presence request, and for an
/// unregistration whether the gateway's mix port still accepted connections at that moment.
/// </summary>
public sealed class ValidatorStub : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<string> _requests = [];
    private readonly Task _serving;
    private readonly int? _probePort;

    public ValidatorStub(int port, int? probeMixPort = null)
    {
        Url = $"http://127.0.0.1:{port}";
        _probePort = probeMixPort;
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>"POST /api/..." and "DELETE /api/... (mix port open)" or "(mix port closed)", in arrival order.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            var request = $"{context.Request.HttpMethod} {context.Request.Url!.AbsolutePath}";
            if (context.Request.HttpMethod == "DELETE" && _probePort is { } port)
            {
                request += await MixPortOpenAsync(port) ? " (mix port open)" : " (mix port closed)";
            }
            lock (_requests)
            {
                _requests.Add(request);
            }
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    private static async Task<bool> MixPortOpenAsync(int port)
    {
        using var probe = new TcpClient();
        try
        {
            await probe.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
