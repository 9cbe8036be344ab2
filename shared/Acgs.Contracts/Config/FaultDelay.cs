// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Config;

/// <summary>The delay part of a fault rule (JSON <c>fault_rules[].delay</c>): hold a share of requests before forwarding them.</summary>
public sealed record FaultDelay
{
    /// <summary>Share of matching requests delayed (JSON <c>percentage</c>), 0–100; null = 100.</summary>
    public double? Percentage { get; init; }

    /// <summary>Added latency in milliseconds (JSON <c>fixed_delay_ms</c>), 1–<see cref="ConfigSnapshotValidator.MaxFaultDelayMs"/>.</summary>
    public int FixedDelayMs { get; init; }
}
