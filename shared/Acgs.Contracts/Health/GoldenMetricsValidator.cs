// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Health;

/// <summary>Checks the <c>golden</c> part of a health report (<see cref="HealthReportValidator"/>), adding every problem.</summary>
public static class GoldenMetricsValidator
{
    /// <summary>Most edges one report may list.</summary>
    public const int MaxEdges = 1024;

    /// <summary>Longest window a report may cover (one hour), in milliseconds.</summary>
    public const long MaxWindowMs = 3_600_000;

    /// <summary>Adds to <paramref name="errors"/> every problem of <paramref name="golden"/>, under the JSON path <c>golden</c>.</summary>
    public static void Validate(ValidationBuilder errors, GoldenMetrics golden)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(golden);
        if (golden.WindowMs is < 1 or > MaxWindowMs)
        {
            errors.Add("golden.window_ms", string.Create(CultureInfo.InvariantCulture, $"must be 1-{MaxWindowMs}"));
        }

        if (golden.Edges is not { } edges)
        {
            errors.Add("golden.edges", "is required (use [] for none)");
            return;
        }

        if (edges.Count > MaxEdges)
        {
            errors.Add("golden.edges", string.Create(CultureInfo.InvariantCulture, $"at most {MaxEdges} edges per report"));
        }

        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < edges.Count; i++)
        {
            var path = ValidationPath.Index("golden.edges", i);
            if (edges[i] is not { } edge)
            {
                errors.Add(path, "must be an object with direction, peer, requests, errors, p50_ms and p99_ms");
                continue;
            }

            var directionValid = edge.Direction is EdgeMetrics.Inbound or EdgeMetrics.Outbound;
            if (!directionValid)
            {
                errors.Add(ValidationPath.Child(path, "direction"), "must be inbound or outbound");
            }

            if (!NodeId.IsPrintable(edge.Peer, HealthReportValidator.MaxClusterNameLength))
            {
                errors.Add(ValidationPath.Child(path, "peer"), "must be 1-253 printable ASCII characters");
            }
            else if (directionValid && !seen.Add((edge.Direction!, edge.Peer!)))
            {
                errors.Add(ValidationPath.Child(path, "peer"), $"'{edge.Direction} {edge.Peer}' is listed twice");
            }

            if (edge.Requests < 0)
            {
                errors.Add(ValidationPath.Child(path, "requests"), "must not be negative");
            }

            if (edge.Errors < 0 || edge.Errors > edge.Requests)
            {
                errors.Add(ValidationPath.Child(path, "errors"), "must be 0-requests");
            }

            var p50Valid = double.IsFinite(edge.P50Ms) && edge.P50Ms >= 0;
            var p99Valid = double.IsFinite(edge.P99Ms) && edge.P99Ms >= 0;
            if (!p50Valid)
            {
                errors.Add(ValidationPath.Child(path, "p50_ms"), "must be a finite number >= 0");
            }

            if (!p99Valid)
            {
                errors.Add(ValidationPath.Child(path, "p99_ms"), "must be a finite number >= 0");
            }
            else if (p50Valid && edge.P99Ms < edge.P50Ms)
            {
                errors.Add(ValidationPath.Child(path, "p99_ms"), "must not be below p50_ms");
            }
        }
    }
}
