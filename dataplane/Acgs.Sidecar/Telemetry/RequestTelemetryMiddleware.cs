// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Identity;
using Acgs.Sidecar.Tracing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.ObjectPool;
using Prometheus;
using Yarp.ReverseProxy.Forwarder;

namespace Acgs.Sidecar.Telemetry;

/// <summary>
/// Outermost middleware of the inbound and outbound listeners: counts every request by listener,
/// cluster and status (<c>acgs_requests_total</c>), observes its duration (per listener and per cluster),
/// adds it to its golden-metrics edge (<see cref="GoldenEdges"/>), and records the
/// sidecar's added latency (downstream − upstream) into <see cref="LatencyStats"/>. Cached metric
/// children, a pooled <see cref="RequestTiming"/> and a completion callback instead of an async
/// frame: nothing is allocated per request. While tracing is on, a request with a sampled server span
/// gives both duration histograms an exemplar with its <c>trace_id</c> and <c>span_id</c> (OpenMetrics;
/// prometheus-net pools the exemplar objects); any other request gives none. While metering is on, the same callback
/// meters an inbound request (<see cref="Metering.InboundMetering"/>) with the clock reading, the status and the peer
/// identity it has already read: no callback, clock read or feature lookup of its own.
/// </summary>
internal sealed class RequestTelemetryMiddleware
{
    private static readonly Func<object, Task> OnCompleted = CompleteAsync;
    private static readonly Exemplar.LabelKey TraceIdKey = Exemplar.Key("trace_id");
    private static readonly Exemplar.LabelKey SpanIdKey = Exemplar.Key("span_id");

    private readonly RequestDelegate _next;
    private readonly ListenerPorts _ports;
    private readonly TelemetryRegistry _telemetry;
    private readonly LatencyStats _latency;
    private readonly ObjectPool<RequestTiming> _timings;
    private readonly ClientFaultLog? _faults;
    private readonly Identity.CallerMetrics? _callers;
    private readonly Metering.InboundMetering? _metering;
    private readonly bool _exemplars;

    /// <summary>Creates the middleware.</summary>
    public RequestTelemetryMiddleware(
        RequestDelegate next, ListenerPorts ports, TelemetryRegistry telemetry, LatencyStats latency, ClientFaultLog? faults = null, Identity.CallerMetrics? callers = null, TracingOptions? tracing = null,
        Metering.InboundMetering? metering = null)
    {
        _metering = metering;
        _exemplars = tracing is { Enabled: true };
        _callers = callers;
        _faults = faults;
        _next = next;
        _ports = ports;
        _telemetry = telemetry;
        _latency = latency;
        _timings = new DefaultObjectPool<RequestTiming>(new TimingPolicy(), Environment.ProcessorCount * 64);
    }

    /// <summary>
    /// Handles one request: on the inbound and outbound listeners, takes a pooled
    /// <see cref="RequestTiming"/> and registers the recording as the response's completion callback
    /// (Kestrel keeps its callback stack per connection: no allocation), so the middleware adds no
    /// async frame of its own. The downstream time runs until the response is complete, as Envoy's
    /// <c>downstream_rq_time</c> does, and the status recorded is the one sent (500 after an
    /// unhandled exception).
    /// </summary>
    public Task InvokeAsync(HttpContext context)
    {
        var listener = _ports.Classify(context.Connection.LocalPort);
        if (listener is ListenerKind.Inbound or ListenerKind.Outbound)
        {
            var timing = _timings.Get();
            timing.Begin(this, context, listener, Stopwatch.GetTimestamp());
            if (_exemplars && Activity.Current is { Recorded: true } span && ReferenceEquals(span.Source, MeshTracing.Source))
            {
                timing.Span = span; // the tracing middleware, just before, started it
            }

            context.Features.Set(timing);
            context.Response.OnCompleted(OnCompleted, timing);
        }

        return _next(context);
    }

    private static Task CompleteAsync(object state)
    {
        var timing = (RequestTiming)state;
        timing.Owner!.Record(timing);
        return Task.CompletedTask;
    }

    private void Record(RequestTiming timing)
    {
        var context = timing.Context!;
        var listener = timing.Listener;
        var total = Stopwatch.GetTimestamp() - timing.Start;
        var status = context.Response.StatusCode;
        var cluster = context.GetEndpoint()?.Metadata.GetMetadata<ClusterTelemetry>() ?? _telemetry.None(listener);
        cluster.Record(status);
        var seconds = total / (double)Stopwatch.Frequency;
        if (timing.Span is { } span)
        {
            ObserveSampled(_telemetry.Duration(listener), cluster.Duration, seconds, span);
        }
        else
        {
            _telemetry.Duration(listener).Observe(seconds);
            cluster.Duration?.Observe(seconds);
        }

        EdgeStats? edge;
        if (listener == ListenerKind.Outbound)
        {
            edge = cluster.Edge;
        }
        else
        {
            // One feature lookup serves the per-caller series — the caller label (Identity/CallerMetrics) and the golden edge,
            // each resolved once per connection and kept on the feature — and metering.
            var peer = context.Features.Get<PeerIdentityFeature>();
            _callers?.Record(peer, status);
            _metering?.Record(context, peer, status, total);
            edge = peer is null ? _telemetry.Golden.Unauthenticated : peer.GoldenEdge ??= _telemetry.Golden.Inbound(peer.SpiffeId);
        }

        edge?.Record(status, total);
        if (timing.UpstreamStart != 0 && timing.UpstreamEnd >= timing.UpstreamStart && status != StatusCodes.Status101SwitchingProtocols)
        {
            _latency.Record(total - (timing.UpstreamEnd - timing.UpstreamStart), total);
        }

        if (timing.UpstreamStart != 0 && context.Features.Get<IForwarderErrorFeature>() is { } error)
        {
            _faults?.RecordForwarderError(error); // counted per cause, logged once per cause per interval
        }

        context.Features.Set<RequestTiming>(null);
        _timings.Return(timing);
    }

    /// <summary>Observes with the span's ids as the exemplar of the bucket (one pooled <see cref="Exemplar"/> per histogram, each used once).</summary>
    internal static void ObserveSampled(Histogram.Child duration, Histogram.Child? clusterDuration, double seconds, Activity span)
    {
        var exemplar = Exemplar.From(TraceIdKey.WithValue(span.TraceId.ToHexString()), SpanIdKey.WithValue(span.SpanId.ToHexString()));
        clusterDuration?.Observe(seconds, exemplar.Clone());
        duration.Observe(seconds, exemplar);
    }

    private sealed class TimingPolicy : PooledObjectPolicy<RequestTiming>
    {
        public override RequestTiming Create() => new();

        public override bool Return(RequestTiming obj)
        {
            obj.Clear();
            return true;
        }
    }
}
