// Constitutional Hash: cdd01ef066bc6cf2

using System.Reflection;
using Prometheus;

namespace Acgs.Sidecar.Telemetry;

/// <summary>
/// The sidecar's Prometheus collectors (default registry, exposed on the admin <c>/metrics</c>).
/// Labelled children are created once and cached by the callers (see <see cref="ClusterTelemetry"/>,
/// <see cref="HashMetrics"/>), so recording never allocates.
/// </summary>
internal static class SidecarMetrics
{
    /// <summary>Proxied requests by listener, cluster (none when no route matched) and status code.</summary>
    public static Counter Requests { get; } = Metrics.CreateCounter(
        "acgs_requests_total",
        "Requests handled by the sidecar's inbound and outbound listeners.",
        new CounterConfiguration { LabelNames = ["listener", "cluster", "code"] });

    /// <summary>Downstream request duration by listener.</summary>
    public static Histogram RequestDuration { get; } = Metrics.CreateHistogram(
        "acgs_request_duration_seconds",
        "Time from request arrival to response completion, by listener.",
        new HistogramConfiguration
        {
            LabelNames = ["listener"],
            Buckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        });

    /// <summary>Requests refused (enforce mode) for their constitutional hash.</summary>
    public static Counter HashRejections { get; } = Metrics.CreateCounter(
        "acgs_hash_rejections_total",
        "Requests rejected with 403 because of their constitutional hash, by listener and reason.",
        new CounterConfiguration { LabelNames = ["listener", "reason"] });

    /// <summary>Requests with an invalid hash let through in audit mode.</summary>
    public static Counter HashAuditFailures { get; } = Metrics.CreateCounter(
        "acgs_hash_audit_failures_total",
        "Requests with an invalid constitutional hash let through because the hash mode is audit, by listener and reason.",
        new CounterConfiguration { LabelNames = ["listener", "reason"] });

    /// <summary>Outbound requests the sidecar stamped with the primary hash.</summary>
    public static Counter HashStamped { get; } = Metrics.CreateCounter(
        "acgs_hash_stamped_total",
        "Outbound requests that lacked the constitutional hash header and were stamped with the primary hash.");

    /// <summary>Config snapshots refused (invalid file on reload, invalid snapshot).</summary>
    public static Counter ConfigRejections { get; } = Metrics.CreateCounter(
        "acgs_config_rejections_total",
        "Config snapshots refused because they were invalid; the previous snapshot stays active.");

    /// <summary>Config snapshots applied.</summary>
    public static Counter ConfigApplies { get; } = Metrics.CreateCounter(
        "acgs_config_applies_total",
        "Config snapshots accepted and applied.");

    /// <summary>Build information; the value is always 1.</summary>
    public static Gauge BuildInfo { get; } = Metrics.CreateGauge(
        "acgs_build_info",
        "Build information of the sidecar; always 1.",
        new GaugeConfiguration { LabelNames = ["version"] });

    /// <summary>The sidecar's informational version.</summary>
    public static string Version { get; } =
        typeof(SidecarMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>Sets the build-info gauge.</summary>
    public static void PublishBuildInfo() => BuildInfo.WithLabels(Version).Set(1);
}
