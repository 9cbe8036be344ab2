// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Acgs.Core;
using Acgs.Sidecar.Resilience;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Tracing;

/// <summary>
/// What a built sidecar's spans say about its resilience and policy decisions, as exported to the test OTLP receiver:
/// each retry is an <c>upstream</c> span of its own with <c>http.request.resend_count</c>, and a breaker rejection, an
/// injected fault and an authorization denial are events on the request's server span, and every authorization decision
/// is an attribute of it (docs/observability.md, Spans).
/// </summary>
public sealed class SpanEventsProcessTests : IAsyncLifetime, IDisposable
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly string _config = Path.Combine(Path.GetTempPath(), "acgs-span-events-" + Guid.NewGuid().ToString("N") + ".json");

    // Bound and never listening: every connection to its port is refused, and no other process can take the port.
    private readonly Socket _closed = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private TracedSidecar _traced = null!;

    public async Task InitializeAsync()
    {
        _closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closed = ((IPEndPoint)_closed.LocalEndPoint!).Port; // every attempt there is a transport failure
        File.WriteAllText(_config, $$"""
            {
              "constitutional_hash": "{{AcgsConstants.ConstitutionalHash}}",
              "version": "v1",
              "service_name": "svc-m",
              "clusters": {
                "flaky": { "destinations": ["127.0.0.1:{{closed}}"], "breaker": { "fail_max": 100 },
                           "retry": { "max_attempts": 3, "backoff_base_ms": 0, "backoff_max_ms": 0 } },
                "fragile": { "destinations": ["127.0.0.1:{{closed}}"], "breaker": { "fail_max": 1, "reset_timeout_seconds": 3600 } }
              },
              "routes": [ { "host": "flaky", "cluster": "flaky" }, { "host": "fragile", "cluster": "fragile" } ],
              "fault_rules": [ { "name": "teapot", "inbound": true, "path_prefix": "/fault", "abort": { "percentage": 100, "http_status": 418 } } ],
              "authorization": { "default_action": "allow", "default_action_enforce": true,
                "policies": [ { "name": "no-secret", "action": "deny", "enforce": true, "rules": [ { "from": ["*"], "to": { "paths": ["/denied"] } } ] } ] }
            }
            """);
        _traced = await TracedSidecar.StartAsync("svc-m", new Dictionary<string, string> { ["ACGS_CONFIG"] = _config });
    }

    public async Task DisposeAsync()
    {
        await _traced.DisposeAsync();
        File.Delete(_config);
    }

    public void Dispose() => _closed.Dispose();

    [Fact]
    public async Task Request_RetriedUpstream_OneClientSpanPerAttemptWithResendCount()
    {
        var (traceId, status) = await SendAsync(_traced.Sidecar.Outbound, "/retry", "flaky");

        Assert.Equal(HttpStatusCode.BadGateway, status);
        var spans = await Eventually.ValueAsync(() => Of(traceId), static s => s.Count >= 4);
        var server = Assert.Single(spans, static s => s.Name == "outbound");
        var attempts = spans.Where(static s => s.Name == "upstream").ToList();
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(server.SpanId, a.ParentSpanId));
        Assert.All(attempts, static a => Assert.Equal("flaky", a.Attributes["acgs.cluster"]));
        Assert.All(attempts, static a => Assert.True(a.Attributes.ContainsKey("error.type"), a.ToString()));
        Assert.Equal(
            ["-", "1", "2"],
            attempts.Select(static a => a.Attributes.GetValueOrDefault("http.request.resend_count", "-")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Request_BreakerOpen_CircuitOpenEventAndNoUpstreamSpan()
    {
        // fail_max 1: the first call's failure opens the breaker and is itself answered "open"; the second is refused.
        var (tripTrace, trip) = await SendAsync(_traced.Sidecar.Outbound, "/once", "fragile");
        var (traceId, status) = await SendAsync(_traced.Sidecar.Outbound, "/again", "fragile");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, trip);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var tripped = await Eventually.ValueAsync(() => Of(tripTrace), static s => s.Count >= 2);
        Assert.Single(tripped, static s => s.Name == "upstream"); // the attempt that failed
        var tripServer = Assert.Single(tripped, static s => s.Name == "outbound");
        Assert.Equal("fragile", Assert.Single(tripServer.Events, static e => e.Name == "acgs.circuit_open").Attributes["acgs.cluster"]);

        var server = await Eventually.ValueAsync(() => Of(traceId).SingleOrDefault(static s => s.Name == "outbound"), static s => s is not null);
        var open = Assert.Single(server!.Events, static e => e.Name == "acgs.circuit_open");
        Assert.Equal("fragile", open.Attributes["acgs.cluster"]);
        Assert.DoesNotContain(Of(traceId), static s => s.Name == "upstream");
    }

    [Fact]
    public async Task Request_FaultInjected_FaultEventOnInboundSpan()
    {
        var (traceId, status) = await SendAsync(_traced.Sidecar.Inbound, "/fault/x", host: null);

        Assert.Equal((HttpStatusCode)418, status);
        var server = await Eventually.ValueAsync(() => Of(traceId).SingleOrDefault(static s => s.Name == "inbound"), static s => s is not null);
        var fault = Assert.Single(server!.Events, static e => e.Name == "acgs.fault_injected");
        Assert.Equal("teapot", fault.Attributes["acgs.rule"]);
        Assert.Equal("abort", fault.Attributes["acgs.fault"]);
        Assert.Empty(_traced.Received()); // nothing reached the app
    }

    [Fact]
    public async Task Request_AuthorizationDenied_DeniedEventOnInboundSpan()
    {
        var (traceId, status) = await SendAsync(_traced.Sidecar.Inbound, "/denied", host: null);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        var server = await Eventually.ValueAsync(() => Of(traceId).SingleOrDefault(static s => s.Name == "inbound"), static s => s is not null);
        var denied = Assert.Single(server!.Events, static e => e.Name == "acgs.authorization.denied");
        Assert.StartsWith("no-secret", denied.Attributes["acgs.rule"], StringComparison.Ordinal);
        Assert.Equal("403", server.Attributes["http.response.status_code"]);
        Assert.Equal("deny", server.Attributes["acgs.authorization"]);
        Assert.StartsWith("no-secret", server.Attributes["acgs.authorization.rule"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_AuthorizationAllowedByDefault_DecisionTaggedOnInboundSpan()
    {
        var (traceId, status) = await SendAsync(_traced.Sidecar.Inbound, "/allowed", host: null);

        Assert.Equal(HttpStatusCode.OK, status);
        var server = await Eventually.ValueAsync(() => Of(traceId).SingleOrDefault(static s => s.Name == "inbound"), static s => s is not null);
        Assert.Equal("allow", server!.Attributes["acgs.authorization"]);
        Assert.Equal("default", server.Attributes["acgs.authorization.rule"]);
        Assert.DoesNotContain(server.Events, static e => e.Name.StartsWith("acgs.authorization", StringComparison.Ordinal));
    }

    private List<ReceivedSpan> Of(string traceId) => [.. _traced.Receiver.Spans().Where(s => s.TraceId == traceId)];

    /// <summary>GET <paramref name="path"/> with a new sampled <c>traceparent</c>: its trace id and the status.</summary>
    private static async Task<(string TraceId, HttpStatusCode Status)> SendAsync(Uri listener, string path, string? host)
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(listener, path));
        request.Headers.TryAddWithoutValidation(AcgsConstants.HashHeaderName, AcgsConstants.ConstitutionalHash);
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await Client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            Assert.True(response.Headers.Contains(CircuitOpenResponse.CircuitHeaderName), "a 503 that is not the breaker's");
        }

        return (traceId, response.StatusCode);
    }
}
