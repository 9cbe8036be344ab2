// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Core;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Tests.Tracing;

/// <summary>
/// Three built sidecars in a chain, all exporting to one <see cref="OtlpReceiver"/>: client → a (outbound, route
/// <c>svc-b</c>) → b (inbound) → b's app, which calls <c>svc-c</c> through b's outbound listener copying
/// <c>traceparent</c>/<c>tracestate</c> as an instrumented app does → c (inbound) → c's app, which records the trace
/// headers it receives.
/// </summary>
public sealed class TracedChain : IAsyncLifetime
{
    private readonly List<string> _configs = [];
    private readonly List<(string? TraceParent, string? TraceState)> _received = [];
    private static readonly HttpClient Relay = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
    private KestrelTestServer _appC = null!;
    private KestrelTestServer _appB = null!;
    private TestUpstream _appA = null!;
    private SidecarProcess _c = null!;
    private SidecarProcess _b = null!;
    private SidecarProcess _a = null!;

    public OtlpReceiver Receiver { get; private set; } = null!;

    /// <summary>Sidecar a's outbound listener (the chain's entry).</summary>
    public Uri Entry => _a.Outbound;

    public static HttpClient Client { get; } = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The trace headers c's app received, in order.</summary>
    public IReadOnlyList<(string? TraceParent, string? TraceState)> Received()
    {
        lock (_received)
        {
            return [.. _received];
        }
    }

    public async Task InitializeAsync()
    {
        Receiver = await OtlpReceiver.StartAsync();
        _appC = await KestrelTestServer.StartAsync(RecordAsync, IPAddress.Loopback);
        _c = await SidecarProcess.StartAsync(_appC.Port, Environment("svc-c", null));
        _appB = await KestrelTestServer.StartAsync(RelayAsync, IPAddress.Loopback);
        _b = await SidecarProcess.StartAsync(_appB.Port, Environment("svc-b", ("svc-c", _c.Inbound.Port)));
        _appA = await TestUpstream.StartAsync("a");
        _a = await SidecarProcess.StartAsync(_appA.Port, Environment("svc-a", ("svc-b", _b.Inbound.Port)));
    }

    public async Task DisposeAsync()
    {
        foreach (var disposable in new IAsyncDisposable?[] { _a, _appA, _b, _appB, _c, _appC, Receiver })
        {
            if (disposable is not null)
            {
                await disposable.DisposeAsync();
            }
        }

        _configs.ForEach(File.Delete);
    }

    private Dictionary<string, string> Environment(string service, (string Service, int Port)? route)
    {
        var env = new Dictionary<string, string>
        {
            ["ACGS_SERVICE_NAME"] = service,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Receiver.Endpoint.ToString(),
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100", // the SDK's batch export interval (ms)
        };
        if (route is { } r)
        {
            var config = Path.Combine(Path.GetTempPath(), "acgs-trace-" + Guid.NewGuid().ToString("N") + ".json");
            File.WriteAllText(config, $$"""
                {
                  "constitutional_hash": "{{AcgsConstants.ConstitutionalHash}}",
                  "version": "trace-1",
                  "service_name": "{{service}}",
                  "clusters": { "{{r.Service}}": { "destinations": ["127.0.0.1:{{r.Port}}"] } },
                  "routes": [ { "host": "{{r.Service}}", "cluster": "{{r.Service}}" } ]
                }
                """);
            _configs.Add(config);
            env["ACGS_CONFIG"] = config;
        }

        return env;
    }

    private Task RecordAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        lock (_received)
        {
            _received.Add((headers.TraceParent.Count > 0 ? headers.TraceParent.ToString() : null, headers.TraceState.Count > 0 ? headers.TraceState.ToString() : null));
        }

        return context.Response.WriteAsync("c");
    }

    private async Task RelayAsync(HttpContext context)
    {
        using var call = new HttpRequestMessage(HttpMethod.Get, new Uri(_b.Outbound, context.Request.Path.Value));
        call.Headers.Host = "svc-c";
        foreach (var name in new[] { "traceparent", "tracestate" })
        {
            if (context.Request.Headers.TryGetValue(name, out var value))
            {
                call.Headers.TryAddWithoutValidation(name, value.ToString());
            }
        }

        using var response = await Relay.SendAsync(call);
        context.Response.StatusCode = (int)response.StatusCode;
        await context.Response.WriteAsync("b>" + await response.Content.ReadAsStringAsync());
    }
}
