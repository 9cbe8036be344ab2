// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.Contracts.Authorization;
using Acgs.Contracts.RateLimiting;
using Acgs.Core;

namespace Acgs.Contracts.Config;

/// <summary>
/// One versioned, immutable config snapshot for one service (docs/sidecar-config.md): what the control
/// plane pushes and what a sidecar's bootstrap file holds. Sidecars swap snapshots, never mutate
/// them. Validate with <see cref="ConfigSnapshotValidator"/>; (de)serialize with <see cref="ConfigSnapshotJson"/>.
/// </summary>
public sealed record ConfigSnapshot
{
    /// <summary>
    /// The constitutional hash this snapshot was compiled under (JSON <c>constitutional_hash</c>);
    /// must be one of the accepted hashes.
    /// </summary>
    public string ConstitutionalHash { get; init; } = AcgsConstants.ConstitutionalHash;

    /// <summary>Opaque version (JSON <c>version</c>), 1–128 printable characters; shown by <c>/config_dump</c> and ACKed.</summary>
    public string Version { get; init; } = string.Empty;

    /// <summary>The service this snapshot is for (JSON <c>service_name</c>): lowercase letters, digits, '-', '.', '_'.</summary>
    public string ServiceName { get; init; } = string.Empty;

    /// <summary>Upstream clusters by name (JSON <c>clusters</c>).</summary>
    public ImmutableDictionary<string, ClusterConfig> Clusters { get; init; } = ImmutableDictionary<string, ClusterConfig>.Empty;

    /// <summary>Outbound routes by Host/authority (JSON <c>routes</c>).</summary>
    public ImmutableArray<OutboundRoute> Routes { get; init; } = [];

    /// <summary>Settings of the inbound cluster, the local app (JSON <c>inbound</c>).</summary>
    public InboundConfig Inbound { get; init; } = InboundConfig.Default;

    /// <summary>The constitutional-hash policy (JSON <c>hash_policy</c>).</summary>
    public HashPolicy HashPolicy { get; init; } = HashPolicy.Default;

    /// <summary>Fault-injection rules (JSON <c>fault_rules</c>); empty = none (the sidecar then pays one branch per request).</summary>
    public ImmutableArray<FaultRule> FaultRules { get; init; } = [];

    /// <summary>
    /// The bus agent directory (JSON <c>agent_directory</c>): agent id → bus address (<c>ip:port</c>) of the
    /// sidecar hosting it. Merged over the sidecar's static directory (<c>ACGS_BUS_DIRECTORY</c>, file).
    /// </summary>
    public ImmutableDictionary<string, string> AgentDirectory { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>
    /// One-shot breaker resets (JSON <c>breaker_resets</c>, see <see cref="BreakerReset"/>); null (the default, not
    /// written) = none. The control plane's recovery orchestrator sends them on a copy of the current snapshot.
    /// </summary>
    public ImmutableArray<BreakerReset>? BreakerResets { get; init; }

    /// <summary>
    /// Mutual TLS mode and trust bundle (JSON <c>mutual_tls</c>, see <see cref="MutualTlsConfig"/>); null (the default,
    /// not written) = permissive with the bundle that came with the sidecar's certificate.
    /// </summary>
    public MutualTlsConfig? MutualTls { get; init; }

    /// <summary>
    /// Who may call this service (JSON <c>authorization</c>, see <see cref="AuthorizationConfig"/>): the <c>Authorization</c>
    /// policies for it and the mesh; null (the default, not written) = every caller allowed.
    /// </summary>
    public AuthorizationConfig? Authorization { get; init; }

    /// <summary>
    /// The local rate limit of this service (JSON <c>rate_limit</c>, see <see cref="RateLimitConfig"/>): the <c>RateLimit</c>
    /// policy for it, else the mesh's; null (the default, not written) = no limit.
    /// </summary>
    public RateLimitConfig? RateLimit { get; init; }

    /// <summary>
    /// The trace sampling of this service (JSON <c>tracing</c>, see <see cref="TracingConfig"/>): the <c>Tracing</c> policy
    /// for it, else the mesh's; null (the default, not written) = the sidecar's <c>OTEL_TRACES_SAMPLER_ARG</c>.
    /// </summary>
    public TracingConfig? Tracing { get; init; }

    /// <summary>The accepted hashes: <c>hash_policy.accepted_hashes</c>, or only <see cref="ConstitutionalHash"/> when that is empty.</summary>
    public ImmutableArray<string> GetAcceptedHashes() =>
        HashPolicy is null || HashPolicy.AcceptedHashes.IsDefaultOrEmpty ? [ConstitutionalHash] : HashPolicy.AcceptedHashes;
}
