// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Config;

/// <summary>The abort part of a fault rule (JSON <c>fault_rules[].abort</c>): answer a share of requests with a status instead of forwarding them.</summary>
public sealed record FaultAbort
{
    /// <summary>Share of matching requests aborted (JSON <c>percentage</c>), 0–100; null = 100.</summary>
    public double? Percentage { get; init; }

    /// <summary>Status returned (JSON <c>http_status</c>), 400–599.</summary>
    public int HttpStatus { get; init; }
}
