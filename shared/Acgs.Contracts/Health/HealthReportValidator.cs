// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Health;

/// <summary>Validates a <see cref="HealthReport"/>, reporting every problem at once.</summary>
public static class HealthReportValidator
{
    /// <summary>Longest node id, in UTF-8 bytes.</summary>
    public const int MaxNodeIdLength = 128;

    /// <summary>Longest cluster name, in UTF-8 bytes (cluster names may hold '|', e.g. <c>inbound|app</c>).</summary>
    public const int MaxClusterNameLength = 256;

    /// <summary>Most clusters in one report.</summary>
    public const int MaxClusters = 10_000;

    /// <summary>Longest report interval, seconds.</summary>
    public const double MaxReportIntervalSeconds = 3_600;

    /// <summary>Every problem with <paramref name="report"/>; valid when empty.</summary>
    public static ValidationResult Validate(HealthReport? report)
    {
        var errors = new ValidationBuilder();
        if (report is null)
        {
            return errors.Add(string.Empty, "a health report is required").Build();
        }

        errors.Identifier(report.NodeId, "node_id", MaxNodeIdLength);
        errors.Name(report.Service, "service");
        if (report.Timestamp == default)
        {
            errors.Add("timestamp", "is required");
        }

        if (errors.Range(report.ReportIntervalSeconds, 0, MaxReportIntervalSeconds, "report_interval_seconds") && report.ReportIntervalSeconds <= 0)
        {
            errors.Add("report_interval_seconds", "must be greater than 0");
        }

        ValidateClusters(report, errors);
        if (report.Metrics is { } metrics)
        {
            errors.Range(metrics.RequestsPerSecond, 0, double.MaxValue, "metrics.requests_per_second");
            errors.Range(metrics.ErrorRate, 0, 1, "metrics.error_rate");
            var p50 = errors.Range(metrics.P50Ms, 0, double.MaxValue, "metrics.p50_ms");
            var p99 = errors.Range(metrics.P99Ms, 0, double.MaxValue, "metrics.p99_ms");
            if (p50 && p99 && metrics.P50Ms > metrics.P99Ms)
            {
                errors.Add("metrics.p99_ms", "must not be below p50_ms");
            }
        }

        return errors.Build();
    }

    private static void ValidateClusters(HealthReport report, ValidationBuilder errors)
    {
        if (report.Clusters.Length > MaxClusters)
        {
            errors.Add("clusters", $"must hold at most {MaxClusters} clusters, got {report.Clusters.Length}");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < report.Clusters.Length; i++)
        {
            var path = ValidationPath.Index("clusters", i);
            var cluster = report.Clusters[i];
            if (cluster is null)
            {
                errors.Add(path, "must not be null");
                continue;
            }

            if (errors.Identifier(cluster.Cluster, ValidationPath.Child(path, "cluster"), MaxClusterNameLength) && !seen.Add(cluster.Cluster))
            {
                errors.Add(ValidationPath.Child(path, "cluster"), "is listed twice");
            }

            if (!Enum.IsDefined(cluster.State))
            {
                errors.Add(ValidationPath.Child(path, "state"), "must be closed, half_open or open");
            }
        }
    }
}
