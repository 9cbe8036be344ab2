// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Core;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Sidecar.Tracing;
using Acgs.Testing;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Tests.Tracing;

/// <summary>
/// New traces on a built sidecar at <c>traceidratio</c> 0.5: the trace a sampled root span belongs to is the one the
/// ratio was decided on, so every later hop with the same ratio decides alike (the span once drew a trace id of its own).
/// </summary>
public sealed class TraceRootSamplingProcessTests : IAsyncLifetime
{
    private const double Ratio = 0.5;
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly List<string?> _received = [];
    private OtlpReceiver _receiver = null!;
    private KestrelTestServer _app = null!;
    private SidecarProcess _sidecar = null!;

    public async Task InitializeAsync()
    {
        _receiver = await OtlpReceiver.StartAsync();
        _app = await KestrelTestServer.StartAsync(RecordAsync, IPAddress.Loopback);
        _sidecar = await SidecarProcess.StartAsync(_app.Port, new Dictionary<string, string>
        {
            ["ACGS_SERVICE_NAME"] = "svc-root",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.Endpoint.ToString(),
            ["OTEL_TRACES_SAMPLER"] = "traceidratio",
            ["OTEL_TRACES_SAMPLER_ARG"] = "0.5",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        });
    }

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        await _app.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Request_NewTraceSampledByRatio_SpanAndTraceparentCarryTheTraceIdTheRatioChose()
    {
        const int Requests = 40;
        for (var i = 0; i < Requests; i++)
        {
            await SendAsync();
        }

        var sameRatio = new TraceDecision(new TracingOptions(null, null, TraceSampler.TraceIdRatio, Ratio));
        var sampled = new HashSet<string>();
        foreach (var traceParent in Received())
        {
            Assert.True(TraceParent.TryRead(traceParent, out var flagged, out var head), traceParent);

            // The next hop at the same ratio takes the same decision on the trace id it receives.
            Assert.True(sameRatio.Root(head) == flagged, $"{traceParent}: sampled {flagged}, the ratio says {!flagged}");
            if (flagged)
            {
                sampled.Add(traceParent!.Split('-')[1]);
            }
        }

        Assert.NotEmpty(sampled); // 40 draws at 0.5: all unsampled once in 2^40
        var roots = await Eventually.ValueAsync(
            () => _receiver.Spans().Where(s => s.Name == "inbound").ToList(), s => s.Count >= sampled.Count, TimeSpan.FromSeconds(30));
        Assert.Equal(sampled.Count, roots.Count);
        Assert.All(roots, s =>
        {
            Assert.Contains(s.TraceId, sampled);
            Assert.Equal(string.Empty, s.ParentSpanId); // still a root: the trace id came without a parent span
        });
    }

    private List<string?> Received()
    {
        lock (_received)
        {
            return [.. _received];
        }
    }

    private Task RecordAsync(HttpContext context)
    {
        lock (_received)
        {
            _received.Add(context.Request.Headers.TraceParent.Count > 0 ? context.Request.Headers.TraceParent.ToString() : null);
        }

        return context.Response.WriteAsync("r");
    }

    private async Task SendAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_sidecar.Inbound, "/root"));
        request.Headers.TryAddWithoutValidation(AcgsConstants.HashHeaderName, AcgsConstants.ConstitutionalHash);
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
