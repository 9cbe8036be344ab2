// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Contracts.ControlPlane;
using Acgs.Contracts.Validation;
using Acgs.Core.CircuitBreaker;

namespace Acgs.Contracts.Health;

/// <summary>Validates a <see cref="HealthReport"/> with the service and node of its URL, reporting every problem at once.</summary>
public static class HealthReportValidator
{
    /// <summary>Most breakers one report may list.</summary>
    public const int MaxClusters = 1024;

    /// <summary>Longest cluster name.</summary>
    public const int MaxClusterNameLength = 253;

    /// <summary>Every problem with the report <paramref name="report"/> of <paramref name="node"/> of <paramref name="service"/>; valid when empty.</summary>
    public static ValidationResult Validate(string? service, string? node, HealthReport? report)
    {
        var errors = new ValidationBuilder();
        SidecarNode.Validate(errors, service, node);
        if (report is null)
        {
            return errors.Add("body", "a JSON object with clusters is required").Build();
        }

        if (report.RequestsTotal is < 0)
        {
            errors.Add("requests_total", "must not be negative");
        }

        if (report.ErrorsTotal is < 0)
        {
            errors.Add("errors_total", "must not be negative");
        }

        if (report.Golden is { } golden)
        {
            GoldenMetricsValidator.Validate(errors, golden);
        }

        if (report.Clusters is not { } clusters)
        {
            return errors.Add("clusters", "is required (use [] for none)").Build();
        }

        if (clusters.Count > MaxClusters)
        {
            errors.Add("clusters", string.Create(CultureInfo.InvariantCulture, $"at most {MaxClusters} clusters per report"));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < clusters.Count; i++)
        {
            var path = ValidationPath.Index("clusters", i);
            if (clusters[i] is not { } cluster)
            {
                errors.Add(path, "must be an object with name and state");
                continue;
            }

            if (!NodeId.IsPrintable(cluster.Name, MaxClusterNameLength))
            {
                errors.Add(ValidationPath.Child(path, "name"), "must be 1-253 printable ASCII characters");
            }
            else if (!seen.Add(cluster.Name!))
            {
                errors.Add(ValidationPath.Child(path, "name"), $"'{cluster.Name}' is listed twice");
            }

            if (!CircuitStateNames.TryParse(cluster.State, out _))
            {
                errors.Add(ValidationPath.Child(path, "state"), "must be closed, open or half_open");
            }
        }

        return errors.Build();
    }
}
