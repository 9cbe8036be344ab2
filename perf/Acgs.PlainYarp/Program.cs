// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

// Plain YARP: 127.0.0.1:<port> proxies every path to 127.0.0.1:<backend-port>; no policies.
// A second listener on 127.0.0.1:<stats-port> serves GET /stats/process (managed bytes allocated,
// GC counts) for the efficiency comparison. Ports: --port/--backend-port/--stats-port or
// PLAINYARP_PORT/PLAINYARP_BACKEND_PORT/PLAINYARP_STATS_PORT.
var port = Setting(args, "--port", "PLAINYARP_PORT", 5081);
var backendPort = Setting(args, "--backend-port", "PLAINYARP_BACKEND_PORT", 5080);
var statsPort = Setting(args, "--stats-port", "PLAINYARP_STATS_PORT", 5082);

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
// Listen backlog 4096 like nginx's in perf/config and the sidecar's default (Kestrel's own is 512): proxies
// open hundreds of upstream connections at once after a stall, and a full accept queue drops SYNs (1 s retry).
builder.WebHost.UseSockets(static o => o.Backlog = 4096);
builder.WebHost.UseKestrel(o =>
{
    o.AddServerHeader = false;
    o.Listen(IPAddress.Loopback, port);
    o.Listen(IPAddress.Loopback, statsPort);
});
builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "backend", Match = new RouteMatch { Path = "{**catch-all}", Hosts = null } }],
    [new ClusterConfig
    {
        ClusterId = "backend",
        Destinations = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal)
        {
            ["backend"] = new() { Address = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{backendPort}/") },
        },
    }]);
var app = builder.Build();
app.MapGet("/stats/process", static () => Results.Text(
    string.Create(CultureInfo.InvariantCulture, $"{{\"allocated_bytes\":{GC.GetTotalAllocatedBytes(false)},\"gen0\":{GC.CollectionCount(0)},\"gen1\":{GC.CollectionCount(1)},\"gen2\":{GC.CollectionCount(2)},\"working_set\":{Environment.WorkingSet}}}"),
    "application/json")).RequireHost(string.Create(CultureInfo.InvariantCulture, $"*:{statsPort}"));
app.MapReverseProxy();
await app.RunAsync().ConfigureAwait(false);

static int Setting(string[] args, string flag, string env, int fallback)
{
    var i = Array.IndexOf(args, flag);
    var text = i >= 0 && i + 1 < args.Length ? args[i + 1] : Environment.GetEnvironmentVariable(env);
    return text is null ? fallback : int.Parse(text, CultureInfo.InvariantCulture);
}
