// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Prometheus;

namespace Acgs.Sidecar.Telemetry;

/// <summary>
/// Cached <c>acgs_requests_total</c> children of one (listener, cluster): an array indexed by status
/// code, filled on first use of each code, so recording is an array read and an increment; its
/// <c>acgs_cluster_request_duration_seconds</c> child and, on the outbound listener, its golden-metrics edge.
/// </summary>
internal sealed class ClusterTelemetry
{
    private const int MaxCode = 600;
    private readonly Counter.Child?[] _byCode = new Counter.Child?[MaxCode];
    private readonly Counter _requests;

    /// <summary>Creates the cache of <paramref name="requests"/>' children for one listener and cluster label.</summary>
    public ClusterTelemetry(Counter requests, string listener, string cluster, Histogram.Child? duration = null, EdgeStats? edge = null)
    {
        ArgumentNullException.ThrowIfNull(requests);
        _requests = requests;
        Listener = listener;
        Cluster = cluster;
        Duration = duration;
        Edge = edge;
    }

    /// <summary>The <c>acgs_cluster_request_duration_seconds</c> child of this listener and cluster.</summary>
    public Histogram.Child? Duration { get; }

    /// <summary>The golden-metrics edge to this cluster (outbound listener only).</summary>
    public EdgeStats? Edge { get; }

    /// <summary>The listener label.</summary>
    public string Listener { get; }

    /// <summary>The cluster label.</summary>
    public string Cluster { get; }

    /// <summary>Counts one request that ended with <paramref name="statusCode"/>.</summary>
    public void Record(int statusCode)
    {
        var index = (uint)statusCode < MaxCode ? statusCode : 0;
        var child = _byCode[index] ?? Create(index);
        child.Inc();
    }

    private Counter.Child Create(int index)
    {
        var code = index == 0 ? "other" : index.ToString(CultureInfo.InvariantCulture);
        var child = _requests.WithLabels(Listener, Cluster, code);
        _byCode[index] = child;
        return child;
    }
}
