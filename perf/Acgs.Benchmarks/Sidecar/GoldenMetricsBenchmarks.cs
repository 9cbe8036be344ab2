// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Identity;
using Acgs.Sidecar.Telemetry;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;

namespace Acgs.Benchmarks.Sidecar;

/// <summary>
/// The golden metrics' per-request work in <see cref="RequestTelemetryMiddleware"/>: the outbound edge cached in its cluster's
/// telemetry (bucket index, two interlocked increments), the inbound edge of an mTLS caller (cached per connection, looked up
/// by its SPIFFE ID on the connection's first request), and the
/// per-cluster latency histogram child (<c>acgs_cluster_request_duration_seconds</c>). Every one must be 0 B/op.
/// </summary>
[MemoryDiagnoser]
public class GoldenMetricsBenchmarks
{
    private static readonly long Duration = Stopwatch.Frequency / 2_000; // 0.5 ms

    private TelemetryRegistry _registry = null!;
    private ClusterTelemetry _outbound = null!;
    private DefaultHttpContext _context = null!;

    [GlobalSetup]
    public void Setup()
    {
        _registry = new TelemetryRegistry(new SidecarMetrics(), new GoldenEdges());
        _outbound = _registry.For(ListenerKind.Outbound, "vector-search");
        _context = new DefaultHttpContext();
        _context.Features.Set(new PeerIdentityFeature("spiffe://acgs.local/ns/governance/sa/deliberation-layer"));
        InboundEdge(); // the edge of this caller is created once, outside the measurement
        if (_registry.Golden.Collect().Edges!.Count != 1 || _outbound.Edge is null || _outbound.Duration is null)
        {
            throw new InvalidOperationException("benchmark golden edges do not record as expected");
        }
    }

    /// <summary>An outbound request: its cluster's edge (cached in the cluster telemetry).</summary>
    [Benchmark(Baseline = true)]
    public void OutboundEdge() => _outbound.Edge!.Record(StatusCodes.Status200OK, Duration);

    /// <summary>An inbound mTLS request: the caller's edge, cached in its connection's identity feature, as the middleware does.</summary>
    [Benchmark]
    public void InboundEdge()
    {
        var edge = _context.Features.Get<PeerIdentityFeature>() is { } peer ? peer.GoldenEdge ??= _registry.Golden.Inbound(peer.SpiffeId) : _registry.Golden.Unauthenticated;
        edge.Record(StatusCodes.Status503ServiceUnavailable, Duration);
    }

    /// <summary>The first request of a connection: the caller's edge by its SPIFFE ID (lock-free lookup).</summary>
    [Benchmark]
    public void InboundEdgeLookup() => _registry.Golden.Inbound("spiffe://acgs.local/ns/governance/sa/deliberation-layer").Record(StatusCodes.Status200OK, Duration);

    /// <summary>The per-cluster Prometheus histogram.</summary>
    [Benchmark]
    public void ClusterHistogram() => _outbound.Duration!.Observe(0.0005);
}
