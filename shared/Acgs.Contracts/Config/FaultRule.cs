// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;

namespace Acgs.Contracts.Config;

/// <summary>
/// A fault-injection rule (JSON <c>fault_rules[]</c>, docs/sidecar-config.md): delay and/or abort a share of the
/// requests of one cluster (outbound) or of the inbound listener (the local app), optionally only under a
/// path prefix, until an optional expiry; or (<see cref="ForceOpenBreaker"/>) hold one cluster's circuit
/// breaker open until the expiry. Exactly one of <see cref="Inbound"/> and <see cref="Cluster"/>.
/// </summary>
public sealed record FaultRule
{
    /// <summary>Free name for operators (JSON <c>name</c>), e.g. the policy it came from; at most 253 printable characters.</summary>
    public string? Name { get; init; }

    /// <summary>True: the rule applies to inbound requests, those going to the local app (JSON <c>inbound</c>).</summary>
    public bool Inbound { get; init; }

    /// <summary>The outbound cluster whose requests the rule applies to (JSON <c>cluster</c>); must exist in <c>clusters</c>.</summary>
    public string? Cluster { get; init; }

    /// <summary>Only requests under this path prefix, matched by whole segments, case-insensitively (JSON <c>path_prefix</c>); null = every path.</summary>
    public string? PathPrefix { get; init; }

    /// <summary>The delay to inject (JSON <c>delay</c>), or null.</summary>
    public FaultDelay? Delay { get; init; }

    /// <summary>The abort to inject (JSON <c>abort</c>), or null. Applied after the delay when both fire.</summary>
    public FaultAbort? Abort { get; init; }

    /// <summary>
    /// True: hold the breaker of <see cref="Cluster"/> open while the rule is active (JSON <c>force_open_breaker</c>);
    /// requests to the cluster get the circuit-open answer. Such a rule names a cluster and has no path prefix,
    /// delay or abort (the breaker is per cluster, and no request reaches a delay or abort behind it).
    /// Written only when true, so snapshots without force-open rules read the same as before it existed.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ForceOpenBreaker { get; init; }

    /// <summary>When the rule stops applying by itself (JSON <c>expires_at</c>, ISO 8601); null = while the snapshot is active.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}
