// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Telemetry;
using BenchmarkDotNet.Attributes;

namespace Acgs.Benchmarks.Tracing;

/// <summary>
/// The request-latency histograms as <see cref="RequestTelemetryMiddleware"/> records a request that completes:
/// <c>Unsampled</c> (tracing off, or a request without a sampled span: no exemplar) and <c>Sampled</c> (the span's
/// <c>trace_id</c>/<c>span_id</c> as the exemplar of both histograms' buckets, replacing the previous one). Both
/// must be 0 B/op: prometheus-net pools the exemplars, and the ids are the span's own strings.
/// </summary>
[MemoryDiagnoser]
public class LatencyExemplarBenchmarks
{
    private const double Seconds = 0.0005;
    private ClusterTelemetry _cluster = null!;
    private TelemetryRegistry _registry = null!;
    private Activity _span = null!;

    [GlobalSetup]
    public void Setup()
    {
        _registry = new TelemetryRegistry(new SidecarMetrics());
        _cluster = _registry.For(ListenerKind.Inbound, "svc-bench");
        _span = new Activity("inbound").SetIdFormat(ActivityIdFormat.W3C).Start();
        _span.Stop(); // as at completion: the span ended, its ids stay
        Sampled(); // the first exemplar of the bucket is stored outside the measurement
    }

    /// <summary>A request without a sampled span: both histograms, no exemplar.</summary>
    [Benchmark(Baseline = true)]
    public void Unsampled()
    {
        _registry.Duration(ListenerKind.Inbound).Observe(Seconds);
        _cluster.Duration!.Observe(Seconds);
    }

    /// <summary>A sampled request: both histograms with the span's ids as their bucket's exemplar.</summary>
    [Benchmark]
    public void Sampled() => RequestTelemetryMiddleware.ObserveSampled(_registry.Duration(ListenerKind.Inbound), _cluster.Duration, Seconds, _span);
}
