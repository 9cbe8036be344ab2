// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Net;
using Acgs.Core;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Sidecar.Tracing;
using Acgs.Testing;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Tests.Tracing;

/// <summary>
/// The sampling decision taken before any span exists, on a built sidecar with <c>parentbased_traceidratio</c> at 0:
/// new traces are not sampled but get a <c>traceparent</c> with flags <c>00</c>; a sampled caller is still followed.
/// </summary>
public sealed class TraceSamplingProcessTests : IAsyncLifetime
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly List<(string? TraceParent, string? TraceState)> _received = [];
    private OtlpReceiver _receiver = null!;
    private KestrelTestServer _app = null!;
    private SidecarProcess _sidecar = null!;

    public async Task InitializeAsync()
    {
        _receiver = await OtlpReceiver.StartAsync();
        _app = await KestrelTestServer.StartAsync(RecordAsync, IPAddress.Loopback);
        _sidecar = await SidecarProcess.StartAsync(_app.Port, new Dictionary<string, string>
        {
            ["ACGS_SERVICE_NAME"] = "svc-r",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.Endpoint.ToString(),
            ["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio",
            ["OTEL_TRACES_SAMPLER_ARG"] = "0",
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
    public async Task Request_NewTraceNotSampled_UnsampledTraceparentPassedOnAndNothingExported()
    {
        const int Requests = 10;
        for (var i = 0; i < Requests; i++)
        {
            await SendAsync(traceParent: i % 2 == 0 ? null : "00-not-a-valid-traceparent", traceState: "vendor=stale");
        }

        var received = Received();
        Assert.Equal(Requests, received.Count);
        var traceIds = new HashSet<string>();
        foreach (var (traceParent, traceState) in received)
        {
            Assert.True(TraceParent.TryRead(traceParent, out var sampled, out _), traceParent);
            Assert.False(sampled);
            Assert.Null(traceState); // a new trace: the state of none or of a malformed one is not passed on
            Assert.True(traceIds.Add(traceParent!.Split('-')[1]));
        }

        // A sampled caller afterwards is followed (parent-based); once its span is in, the others' would have been too.
        var marker = ActivityTraceId.CreateRandom().ToHexString();
        await SendAsync($"00-{marker}-{ActivitySpanId.CreateRandom().ToHexString()}-01", null);
        await Eventually.ValueAsync(() => _receiver.Spans().Where(s => s.TraceId == marker).ToList(), static s => s.Count >= 2);
        Assert.All(_receiver.Spans(), s => Assert.Equal(marker, s.TraceId));
    }

    private List<(string? TraceParent, string? TraceState)> Received()
    {
        lock (_received)
        {
            return [.. _received];
        }
    }

    private Task RecordAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        lock (_received)
        {
            _received.Add((headers.TraceParent.Count > 0 ? headers.TraceParent.ToString() : null, headers.TraceState.Count > 0 ? headers.TraceState.ToString() : null));
        }

        return context.Response.WriteAsync("r");
    }

    private async Task SendAsync(string? traceParent, string? traceState)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_sidecar.Inbound, "/hello"));
        request.Headers.TryAddWithoutValidation(AcgsConstants.HashHeaderName, AcgsConstants.ConstitutionalHash);
        if (traceParent is not null)
        {
            request.Headers.TryAddWithoutValidation("traceparent", traceParent);
        }

        if (traceState is not null)
        {
            request.Headers.TryAddWithoutValidation("tracestate", traceState);
        }

        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
