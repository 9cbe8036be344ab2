// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Acgs.Testing;

namespace Acgs.ControlPlane.Tests.Tracing;

/// <summary>
/// The built control plane with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set exports a server span per API request to a test
/// OTLP receiver: a child of the caller's sampled <c>traceparent</c>, a new trace without one, nothing for an unsampled
/// caller or for <c>/health</c>.
/// </summary>
public sealed class ControlPlaneTracingProcessTests : IAsyncLifetime
{
    private const string AdminToken = "trace-test-admin-token-0123456789";
    private readonly string _data = Directory.CreateTempSubdirectory("acgs-cp-trace-").FullName;
    private OtlpReceiver _receiver = null!;
    private ControlPlaneChild _child = null!;
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        _receiver = await OtlpReceiver.StartAsync();
        _child = await ControlPlaneChild.StartAsync(new Dictionary<string, string>
        {
            ["ACGS_DATA_DIR"] = _data,
            ["ACGS_ADMIN_TOKEN"] = AdminToken,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.Endpoint.ToString(),
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        });
        _base = _child.Address;
    }

    public async Task DisposeAsync()
    {
        await _child.DisposeAsync();
        await _receiver.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task ApiRequests_SampledCallerNewTraceUnsampledCaller_SpansAsW3CAsks()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var callerSpan = ActivitySpanId.CreateRandom().ToHexString();
        var unsampledTrace = ActivityTraceId.CreateRandom().ToHexString();

        Assert.Equal(HttpStatusCode.Created, await SendAsync(HttpMethod.Post, "api/v1/policies", """{"id":"traced"}""", $"00-{traceId}-{callerSpan}-01"));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, "api/v1/policies/traced", null, $"00-{unsampledTrace}-{ActivitySpanId.CreateRandom().ToHexString()}-00"));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, "health/live", null, $"00-{traceId}-{callerSpan}-01"));
        Assert.Equal(HttpStatusCode.NotFound, await SendAsync(HttpMethod.Get, "api/v1/policies/missing", null, null));

        var spans = await Eventually.ValueAsync(() => _receiver.Spans().ToList(), static s => s.Exists(span => span.Attributes.GetValueOrDefault("http.response.status_code") == "404"));
        var created = Assert.Single(spans, s => s.TraceId == traceId); // not the /health/live request of the same trace
        Assert.Equal((callerSpan, "POST /api/v1/policies", ReceivedSpan.KindServer, "acgs-controlplane"), (created.ParentSpanId, created.Name, created.Kind, created.Service));
        Assert.Equal("POST", created.Attributes["http.request.method"]);
        Assert.Equal("/api/v1/policies", created.Attributes["http.route"]);
        Assert.Equal("201", created.Attributes["http.response.status_code"]);
        Assert.DoesNotContain(spans, s => s.TraceId == unsampledTrace);
        var missing = Assert.Single(spans, s => s.Attributes.GetValueOrDefault("http.response.status_code") == "404");
        Assert.Equal(("", "GET /api/v1/policies/{id}"), (missing.ParentSpanId, missing.Name)); // a new trace
        Assert.Equal(2, spans.Count);
    }

    private async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, string? json, string? traceParent)
    {
        using var request = new HttpRequestMessage(method, new Uri(_base, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (traceParent is not null)
        {
            request.Headers.TryAddWithoutValidation("traceparent", traceParent);
        }

        using var response = await Client.SendAsync(request);
        return response.StatusCode;
    }
}
