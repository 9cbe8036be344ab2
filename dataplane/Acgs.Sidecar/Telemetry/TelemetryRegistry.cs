// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using Acgs.Sidecar.Hosting;
using Prometheus;

namespace Acgs.Sidecar.Telemetry;

/// <summary>
/// Hands out the cached metric children: one <see cref="ClusterTelemetry"/> per (listener, cluster),
/// kept across config snapshots, the per-listener duration histograms and the golden metrics per edge.
/// </summary>
internal sealed class TelemetryRegistry
{
    /// <summary>The cluster label of requests that matched no route (rejections, no-route).</summary>
    public const string NoCluster = "none";

    private readonly ConcurrentDictionary<(ListenerKind, string), ClusterTelemetry> _clusters = new();
    private readonly Func<(ListenerKind, string), ClusterTelemetry> _create;
    private readonly ClusterTelemetry[] _none;
    private readonly Histogram.Child[] _durations;

    /// <summary>Creates the registry over the host's <paramref name="metrics"/> and pre-creates the per-listener children.</summary>
    public TelemetryRegistry(SidecarMetrics metrics, GoldenEdges? golden = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var requests = metrics.Requests;
        var durations = metrics.ClusterRequestDuration;
        Golden = golden ?? new GoldenEdges();
        var edges = Golden;
        _create = key => new ClusterTelemetry(requests, Label(key.Item1), key.Item2, durations.WithLabels(Label(key.Item1), key.Item2),
            key.Item1 == ListenerKind.Outbound ? edges.Outbound(key.Item2) : null);
        _none = new ClusterTelemetry[4];
        _durations = new Histogram.Child[4];
        foreach (var kind in (ReadOnlySpan<ListenerKind>)[ListenerKind.Unknown, ListenerKind.Inbound, ListenerKind.Outbound, ListenerKind.Admin])
        {
            _none[(int)kind] = For(kind, NoCluster);
            _durations[(int)kind] = metrics.RequestDuration.WithLabels(Label(kind));
        }
    }

    /// <summary>The golden metrics per edge.</summary>
    public GoldenEdges Golden { get; }

    /// <summary>The metric label of a listener.</summary>
    public static string Label(ListenerKind kind) => kind switch
    {
        ListenerKind.Inbound => "inbound",
        ListenerKind.Outbound => "outbound",
        ListenerKind.Admin => "admin",
        _ => "unknown",
    };

    /// <summary>The cached children for <paramref name="cluster"/> on <paramref name="listener"/> (created once).</summary>
    public ClusterTelemetry For(ListenerKind listener, string cluster) => _clusters.GetOrAdd((listener, cluster), _create);

    /// <summary>The children for requests on <paramref name="listener"/> that matched no route.</summary>
    public ClusterTelemetry None(ListenerKind listener) => _none[(int)listener];

    /// <summary>The duration histogram child of <paramref name="listener"/>.</summary>
    public Histogram.Child Duration(ListenerKind listener) => _durations[(int)listener];
}
