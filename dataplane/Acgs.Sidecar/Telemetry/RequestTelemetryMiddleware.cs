// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Sidecar.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.ObjectPool;

namespace Acgs.Sidecar.Telemetry;

/// <summary>
/// Outermost middleware of the inbound and outbound listeners: counts every request by listener,
/// cluster and status (<c>acgs_requests_total</c>), observes its duration, and records the
/// sidecar's added latency (downstream − upstream) into <see cref="LatencyStats"/>. Cached metric
/// children and a pooled <see cref="RequestTiming"/>: nothing is allocated per request.
/// </summary>
internal sealed class RequestTelemetryMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ListenerPorts _ports;
    private readonly TelemetryRegistry _telemetry;
    private readonly LatencyStats _latency;
    private readonly ObjectPool<RequestTiming> _timings;

    /// <summary>Creates the middleware.</summary>
    public RequestTelemetryMiddleware(RequestDelegate next, ListenerPorts ports, TelemetryRegistry telemetry, LatencyStats latency)
    {
        _next = next;
        _ports = ports;
        _telemetry = telemetry;
        _latency = latency;
        _timings = new DefaultObjectPool<RequestTiming>(new TimingPolicy(), Environment.ProcessorCount * 64);
    }

    /// <summary>Handles one request.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var listener = _ports.Classify(context.Connection.LocalPort);
        return listener is ListenerKind.Inbound or ListenerKind.Outbound ? RecordAsync(context, listener) : _next(context);
    }

    private async Task RecordAsync(HttpContext context, ListenerKind listener)
    {
        var start = Stopwatch.GetTimestamp();
        var timing = _timings.Get();
        context.Features.Set(timing);
        try
        {
            await _next(context).ConfigureAwait(false);
        }
        finally
        {
            var end = Stopwatch.GetTimestamp();
            var total = end - start;
            var cluster = context.GetEndpoint()?.Metadata.GetMetadata<ClusterTelemetry>() ?? _telemetry.None(listener);
            cluster.Record(context.Response.StatusCode);
            _telemetry.Duration(listener).Observe(total / (double)Stopwatch.Frequency);
            if (timing.UpstreamStart != 0 && timing.UpstreamEnd >= timing.UpstreamStart && context.Response.StatusCode != StatusCodes.Status101SwitchingProtocols)
            {
                _latency.Record(total - (timing.UpstreamEnd - timing.UpstreamStart), total);
            }

            context.Features.Set<RequestTiming>(null);
            _timings.Return(timing);
        }
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
