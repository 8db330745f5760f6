using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry.Metrics;

namespace NymGateway.EdgeHost.Telemetry;

/// <summary>
/// The optional admin port of any host (`[admin] listening_address`): /health and /metrics
/// (Prometheus text of the host's meters). Without it no exporter runs, so the instruments cost
/// next to nothing.
/// </summary>
public static class AdminEndpoint
{
    /// <summary>The runtime's own meter (.NET 9+): GC heap and collections, process memory and CPU, thread pool, timers.</summary>
    public const string RuntimeMeter = "System.Runtime";

    /// <summary>Once per host: the Prometheus exporter over <paramref name="meters"/> and the runtime's, and health checks (each host adds its own).</summary>
    public static void AddAdminEndpoint(this IServiceCollection services, params string[] meters)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter([.. meters, RuntimeMeter])
            .AddPrometheusExporter());
        services.AddHealthChecks();
    }

    public static void ListenForAdmin(this KestrelServerOptions kestrel, IPEndPoint admin) =>
        kestrel.Listen(admin, listen => listen.Protocols = HttpProtocols.Http1);

    /// <summary>Both endpoints answer on the admin port only.</summary>
    public static void MapAdminEndpoint(this WebApplication app, IPEndPoint admin)
    {
        var host = $"*:{admin.Port}";
        app.MapHealthChecks("/health").RequireHost(host);
        app.MapPrometheusScrapingEndpoint("/metrics").RequireHost(host);
    }
}
