// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Sidecar.Tracing;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Tracing;

/// <summary>
/// The sampling decision taken before any span exists, on a built sidecar with <c>parentbased_traceidratio</c> at 0:
/// new traces are not sampled but get a <c>traceparent</c> with flags <c>00</c>; a sampled caller is still followed.
/// </summary>
public sealed class TraceSamplingProcessTests : IAsyncLifetime
{
    private TracedSidecar _traced = null!;

    public async Task InitializeAsync() => _traced = await TracedSidecar.StartAsync("svc-r", new Dictionary<string, string>
    {
        ["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio",
        ["OTEL_TRACES_SAMPLER_ARG"] = "0",
    });

    public async Task DisposeAsync() => await _traced.DisposeAsync();

    [Fact]
    public async Task Request_NewTraceNotSampled_UnsampledTraceparentPassedOnAndNothingExported()
    {
        const int Requests = 10;
        for (var i = 0; i < Requests; i++)
        {
            await _traced.SendAsync("/hello", traceParent: i % 2 == 0 ? null : "00-not-a-valid-traceparent", traceState: "vendor=stale");
        }

        var received = _traced.Received();
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
        await _traced.SendAsync("/hello", $"00-{marker}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        await Eventually.ValueAsync(() => _traced.Receiver.Spans().Where(s => s.TraceId == marker).ToList(), static s => s.Count >= 2);
        Assert.All(_traced.Receiver.Spans(), s => Assert.Equal(marker, s.TraceId));
    }
}
