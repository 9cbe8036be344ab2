// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Sidecar.Tracing;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Tracing;

/// <summary>
/// New traces on a built sidecar at <c>traceidratio</c> 0.5: the trace a sampled root span belongs to is the one the
/// ratio was decided on, so every later hop with the same ratio decides alike (the span once drew a trace id of its own).
/// </summary>
public sealed class TraceRootSamplingProcessTests : IAsyncLifetime
{
    private const double Ratio = 0.5;
    private TracedSidecar _traced = null!;

    public async Task InitializeAsync() => _traced = await TracedSidecar.StartAsync("svc-root", new Dictionary<string, string>
    {
        ["OTEL_TRACES_SAMPLER"] = "traceidratio",
        ["OTEL_TRACES_SAMPLER_ARG"] = "0.5",
    });

    public async Task DisposeAsync() => await _traced.DisposeAsync();

    [Fact]
    public async Task Request_NewTraceSampledByRatio_SpanAndTraceparentCarryTheTraceIdTheRatioChose()
    {
        const int Requests = 40;
        for (var i = 0; i < Requests; i++)
        {
            await _traced.SendAsync("/root");
        }

        var sameRatio = new TraceDecision(new TracingOptions(null, null, TraceSampler.TraceIdRatio, Ratio));
        var sampled = new HashSet<string>();
        foreach (var (traceParent, _) in _traced.Received())
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
            () => _traced.Receiver.Spans().Where(s => s.Name == "inbound").ToList(), s => s.Count >= sampled.Count, TimeSpan.FromSeconds(30));
        Assert.Equal(sampled.Count, roots.Count);
        Assert.All(roots, s =>
        {
            Assert.Contains(s.TraceId, sampled);
            Assert.Equal(string.Empty, s.ParentSpanId); // still a root: the trace id came without a parent span
        });
    }
}
