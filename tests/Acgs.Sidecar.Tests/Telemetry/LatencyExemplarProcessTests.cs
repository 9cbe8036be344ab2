// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Text.Json.Nodes;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Telemetry;

/// <summary>
/// Exemplars on the request-latency histograms of a built sidecar with tracing on: a sampled request's trace and span
/// ids on its bucket, in the OpenMetrics exposition a scraper asks for; nothing for an unsampled one; the plain
/// Prometheus text unchanged; and Debian's real Prometheus, with exemplar storage on, scrapes and stores them.
/// </summary>
public sealed class LatencyExemplarProcessTests : IAsyncLifetime
{
    private const string OpenMetrics = "application/openmetrics-text";
    private TracedSidecar _traced = null!;

    public async Task InitializeAsync() => _traced = await TracedSidecar.StartAsync("svc-x");

    public async Task DisposeAsync() => await _traced.DisposeAsync();

    [Fact]
    public async Task Metrics_OpenMetricsAsked_SampledRequestIsTheBucketsExemplarAndUnsampledIsNot()
    {
        var unsampled = ActivityTraceId.CreateRandom().ToHexString();
        await SendAsync($"00-{unsampled}-{ActivitySpanId.CreateRandom().ToHexString()}-00");
        var sampled = ActivityTraceId.CreateRandom().ToHexString();
        await SendAsync($"00-{sampled}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        var span = (await Eventually.ValueAsync(
            () => _traced.Receiver.Spans().Where(s => s.TraceId == sampled && s.Name == "inbound").ToList(), static s => s.Count == 1))[0];

        var exemplar = $"# {{trace_id=\"{sampled}\",span_id=\"{span.SpanId}\"}}";
        var (contentType, text) = await ScrapeUntilAsync(OpenMetrics, exemplar);

        Assert.StartsWith(OpenMetrics, contentType, StringComparison.Ordinal);
        Assert.EndsWith("# EOF\n", text, StringComparison.Ordinal);
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

        const string Counted = "acgs_request_duration_seconds_bucket{listener=\"inbound\",le=\"+Inf\"} 1";
        var (contentType, text) = await ScrapeUntilAsync(null, Counted);

        Assert.StartsWith("text/plain; version=0.0.4", contentType, StringComparison.Ordinal);
        Assert.Contains(Counted, text, StringComparison.Ordinal);
        Assert.DoesNotContain("# {", text, StringComparison.Ordinal);
        Assert.DoesNotContain("# EOF", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prometheus_ExemplarStorageOn_StoresTheSampledRequestsTraceId()
    {
        var sampled = ActivityTraceId.CreateRandom().ToHexString();
        await SendAsync($"00-{sampled}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        Assert.Contains(sampled, (await ScrapeUntilAsync(OpenMetrics, sampled)).Text, StringComparison.Ordinal); // also a first scrape: a loaded machine's first one may outlast Prometheus' timeout
        await using var prometheus = PrometheusProcess.Start(_traced.Sidecar.Admin.Authority, "--enable-feature=exemplar-storage");

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

    /// <summary>
    /// Scrapes until the text contains <paramref name="expected"/> (the last scrape when it never does): the sidecar
    /// records a request's latency once the response is complete, which can be after the client has read it.
    /// </summary>
    private Task<(string ContentType, string Text)> ScrapeUntilAsync(string? accept, string expected) =>
        Eventually.ValueAsync(() => _traced.ScrapeAsync(accept), scrape => scrape.Text.Contains(expected, StringComparison.Ordinal));

    private Task SendAsync(string traceParent) => _traced.SendAsync("/exemplar", traceParent);
}
