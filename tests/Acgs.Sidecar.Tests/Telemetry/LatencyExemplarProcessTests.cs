// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Acgs.Core;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Tests.Telemetry;

/// <summary>
/// Exemplars on the request-latency histograms of a built sidecar with tracing on: a sampled request's trace and span
/// ids on its bucket, in the OpenMetrics exposition a scraper asks for; nothing for an unsampled one; the plain
/// Prometheus text unchanged; and Debian's real Prometheus, with exemplar storage on, scrapes and stores them.
/// </summary>
public sealed class LatencyExemplarProcessTests : IAsyncLifetime
{
    private const string OpenMetrics = "application/openmetrics-text";
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private OtlpReceiver _receiver = null!;
    private KestrelTestServer _app = null!;
    private SidecarProcess _sidecar = null!;

    public async Task InitializeAsync()
    {
        _receiver = await OtlpReceiver.StartAsync();
        _app = await KestrelTestServer.StartAsync(static context => context.Response.WriteAsync("e"), IPAddress.Loopback);
        _sidecar = await SidecarProcess.StartAsync(_app.Port, new Dictionary<string, string>
        {
            ["ACGS_SERVICE_NAME"] = "svc-x",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.Endpoint.ToString(),
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
    public async Task Metrics_OpenMetricsAsked_SampledRequestIsTheBucketsExemplarAndUnsampledIsNot()
    {
        var unsampled = ActivityTraceId.CreateRandom().ToHexString();
        await SendAsync($"00-{unsampled}-{ActivitySpanId.CreateRandom().ToHexString()}-00");
        var sampled = ActivityTraceId.CreateRandom().ToHexString();
        await SendAsync($"00-{sampled}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        var span = (await Eventually.ValueAsync(
            () => _receiver.Spans().Where(s => s.TraceId == sampled && s.Name == "inbound").ToList(), static s => s.Count == 1))[0];

        var (contentType, text) = await ScrapeAsync(OpenMetrics);

        Assert.StartsWith(OpenMetrics, contentType, StringComparison.Ordinal);
        Assert.EndsWith("# EOF\n", text, StringComparison.Ordinal);
        var exemplar = $"# {{trace_id=\"{sampled}\",span_id=\"{span.SpanId}\"}}";
        var lines = text.Split('\n');
        Assert.Single(lines, l => l.StartsWith("acgs_request_duration_seconds_bucket{listener=\"inbound\"", StringComparison.Ordinal) && l.Contains(exemplar, StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("acgs_cluster_request_duration_seconds_bucket{listener=\"inbound\"", StringComparison.Ordinal) && l.Contains(exemplar, StringComparison.Ordinal));
        Assert.DoesNotContain(unsampled, text, StringComparison.Ordinal);
        Assert.All(lines.Where(l => l.Contains(" # {", StringComparison.Ordinal)), l => Assert.Contains("duration_seconds_bucket{", l, StringComparison.Ordinal)); // nothing else
    }

    [Fact]
    public async Task Metrics_PlainScrape_PrometheusTextWithoutExemplars()
    {
        await SendAsync($"00-{ActivityTraceId.CreateRandom().ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        var (contentType, text) = await ScrapeAsync(null);

        Assert.StartsWith("text/plain; version=0.0.4", contentType, StringComparison.Ordinal);
        Assert.Contains("acgs_request_duration_seconds_bucket{listener=\"inbound\",le=\"+Inf\"} 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("# {", text, StringComparison.Ordinal);
        Assert.DoesNotContain("# EOF", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prometheus_ExemplarStorageOn_StoresTheSampledRequestsTraceId()
    {
        var sampled = ActivityTraceId.CreateRandom().ToHexString();
        await SendAsync($"00-{sampled}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        Assert.Contains(sampled, (await ScrapeAsync(OpenMetrics)).Text, StringComparison.Ordinal); // also a first scrape: a loaded machine's first one may outlast Prometheus' timeout
        await using var prometheus = PrometheusProcess.Start(_sidecar.Admin.Authority, "--enable-feature=exemplar-storage");

        var since = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds();
        var found = await Eventually.ValueAsync(
            async () => await prometheus.GetJsonAsync($"api/v1/query_exemplars?query=acgs_request_duration_seconds_bucket&start={since}&end={since + 1200}"),
            answer => answer?.ToJsonString().Contains(sampled, StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(90));

        var targets = await prometheus.GetJsonAsync("api/v1/targets");
        Assert.True(found?.ToJsonString().Contains(sampled, StringComparison.Ordinal), $"exemplars: {found?.ToJsonString()}\ntargets: {targets?.ToJsonString()}");
        var series = found!["data"]!.AsArray().Single(s => s!.ToJsonString().Contains(sampled, StringComparison.Ordinal))!;
        Assert.Equal("inbound", series["seriesLabels"]!["listener"]!.GetValue<string>());
        var up = await prometheus.GetJsonAsync("api/v1/query?query=up");
        Assert.Equal("1", up!["data"]!["result"]![0]!["value"]![1]!.GetValue<string>()); // the OpenMetrics exposition parsed whole
    }

    private async Task<(string ContentType, string Text)> ScrapeAsync(string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_sidecar.Admin, "metrics"));
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response.Content.Headers.ContentType!.ToString(), await response.Content.ReadAsStringAsync());
    }

    private async Task SendAsync(string traceParent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_sidecar.Inbound, "/exemplar"));
        request.Headers.TryAddWithoutValidation(AcgsConstants.HashHeaderName, AcgsConstants.ConstitutionalHash);
        request.Headers.TryAddWithoutValidation("traceparent", traceParent);
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
