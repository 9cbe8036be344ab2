// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Contracts.Config;
using Acgs.Contracts.ControlPlane;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Discovery;

/// <summary>Validates a <see cref="BusAgentReport"/> with the service and node of its URL, reporting every problem at once.</summary>
public static class BusAgentReportValidator
{
    /// <summary>Most agents one report may list.</summary>
    public const int MaxAgents = 10_000;

    /// <summary>Every problem with <paramref name="report"/>; valid when empty.</summary>
    public static ValidationResult Validate(string? service, string? node, BusAgentReport? report)
    {
        var errors = new ValidationBuilder();
        SidecarNode.Validate(errors, service, node);
        if (report is null)
        {
            return errors.Add("body", "a JSON object with bus_address and agents is required").Build();
        }

        if (!ConfigSnapshotValidator.IsBusAddress(report.BusAddress))
        {
            errors.Add("bus_address", "must be the sidecar's bus address, ip:port (IPv6 as [addr]:port)");
        }

        if (report.Agents is not { } agents)
        {
            return errors.Add("agents", "is required (use [] for none)").Build();
        }

        if (agents.Count > MaxAgents)
        {
            errors.Add("agents", string.Create(CultureInfo.InvariantCulture, $"at most {MaxAgents} agents per report"));
        }

        for (var i = 0; i < agents.Count; i++)
        {
            if (!NodeId.IsPrintable(agents[i], ConfigSnapshotValidator.MaxAgentIdLength))
            {
                errors.Add(ValidationPath.Index("agents", i), string.Create(CultureInfo.InvariantCulture,
                    $"must be 1-{ConfigSnapshotValidator.MaxAgentIdLength} printable ASCII characters without spaces"));
            }
        }

        return errors.Build();
    }
}
