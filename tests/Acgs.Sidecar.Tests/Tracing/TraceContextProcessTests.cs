// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Net;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Tracing;

/// <summary>W3C trace context and spans through three real sidecars, collected by a real OTLP/HTTP receiver.</summary>
public sealed class TraceContextProcessTests(TracedChain chain) : IClassFixture<TracedChain>
{
    private static readonly string[] ChainNames =
        ["svc-a/outbound", "svc-a/upstream", "svc-b/inbound", "svc-b/upstream", "svc-b/outbound", "svc-b/upstream", "svc-c/inbound", "svc-c/upstream"];

    [Fact]
    public async Task Request_SampledTraceparent_OneTraceWithParentLinksThroughThreeSidecars()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var callerSpan = ActivitySpanId.CreateRandom().ToHexString();

        var body = await SendAsync($"00-{traceId}-{callerSpan}-01", "vendor=opaque");

        Assert.Equal("b>c", body);
        var spans = await Eventually.ValueAsync(() => Of(traceId), static s => s.Count >= ChainNames.Length);
        Assert.Equal(ChainNames.Length, spans.Count);
        var path = Walk(spans, callerSpan);
        Assert.True(path.Count == ChainNames.Length, string.Join("\n", spans));
        Assert.Equal(ChainNames, path.Select(static s => s.Service + "/" + s.Name));
        Assert.All(path, static s => Assert.Equal(s.Name == "upstream" ? ReceivedSpan.KindClient : ReceivedSpan.KindServer, s.Kind));
        Assert.All(path, static s => Assert.Equal("vendor=opaque", s.TraceState));

        var (traceParent, traceState) = chain.Received()[^1];
        Assert.StartsWith($"00-{traceId}-{path[^1].SpanId}-", traceParent, StringComparison.Ordinal); // c's app is the child of c's client span
        Assert.Equal(1, Convert.ToInt32(traceParent![^2..], 16) & 1);
        Assert.Equal("vendor=opaque", traceState);

        var outbound = path[0];
        Assert.Equal("GET", outbound.Attributes["http.request.method"]);
        Assert.Equal("200", outbound.Attributes["http.response.status_code"]);
        Assert.Equal("/hello", outbound.Attributes["url.path"]);
        Assert.Equal("svc-a", outbound.Attributes["acgs.service"]);
        Assert.Equal("svc-b", outbound.Attributes["acgs.cluster"]);
        Assert.Equal("stamped", outbound.Attributes["acgs.hash_check"]);
        Assert.Equal("svc-b", path[1].Attributes["acgs.cluster"]);
        Assert.Equal("200", path[1].Attributes["http.response.status_code"]);
        Assert.Equal("valid", path[2].Attributes["acgs.hash_check"]);
        Assert.Equal("unauthenticated", path[2].Attributes["acgs.caller"]);
    }

    [Fact]
    public async Task Request_NoTraceparent_NewTraceStartedAtTheFirstSidecar()
    {
        await SendAsync(null, null);

        var (traceParent, _) = chain.Received()[^1];
        Assert.NotNull(traceParent);
        var parts = traceParent.Split('-');
        Assert.Equal(1, Convert.ToInt32(parts[3], 16) & 1); // parent-based always-on: a new trace is sampled
        var spans = await Eventually.ValueAsync(() => Of(parts[1]), static s => s.Count >= ChainNames.Length);
        var root = Assert.Single(spans, static s => s.ParentSpanId.Length == 0);
        Assert.Equal("svc-a/outbound", root.Service + "/" + root.Name);
        Assert.Equal(ChainNames, Walk(spans, string.Empty).Select(static s => s.Service + "/" + s.Name));
    }

    [Fact]
    public async Task Request_UnsampledTraceparent_PassedOnUnchangedAndNothingExported()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var callerSpan = ActivitySpanId.CreateRandom().ToHexString();

        await SendAsync($"00-{traceId}-{callerSpan}-00", null);
        var (traceParent, _) = chain.Received()[^1];

        // Not sampled: no sidecar made a span, so each passed the caller's value on as it came (W3C allows this).
        Assert.Equal($"00-{traceId}-{callerSpan}-00", traceParent);

        // A sampled request afterwards: once its spans are in, the unsampled one's would have been too.
        var marker = ActivityTraceId.CreateRandom().ToHexString();
        await SendAsync($"00-{marker}-{callerSpan}-01", null);
        await Eventually.ValueAsync(() => Of(marker), static s => s.Count >= ChainNames.Length);
        Assert.Empty(Of(traceId));
    }

    private List<ReceivedSpan> Of(string traceId) => [.. chain.Receiver.Spans().Where(s => s.TraceId == traceId)];

    private static List<ReceivedSpan> Walk(List<ReceivedSpan> spans, string parent)
    {
        var path = new List<ReceivedSpan>();
        for (var next = spans.SingleOrDefault(s => s.ParentSpanId == parent); next is not null; next = spans.SingleOrDefault(s => s.ParentSpanId == next.SpanId))
        {
            path.Add(next);
        }

        return path;
    }

    private async Task<string> SendAsync(string? traceParent, string? traceState)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(chain.Entry, "/hello"));
        request.Headers.Host = "svc-b";
        if (traceParent is not null)
        {
            request.Headers.TryAddWithoutValidation("traceparent", traceParent);
        }

        if (traceState is not null)
        {
            request.Headers.TryAddWithoutValidation("tracestate", traceState);
        }

        using var response = await TracedChain.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
