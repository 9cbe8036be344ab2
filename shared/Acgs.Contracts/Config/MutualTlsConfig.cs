// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.Contracts.Config;

/// <summary>
/// Mutual TLS settings of a snapshot (JSON <c>mutual_tls</c>): the mode for this service and the trust bundle the
/// control plane's CA distributes (PEM anchors; two during a CA rotation). Null in a snapshot = permissive with the
/// bundle the sidecar got with its certificate.
/// </summary>
public sealed record MutualTlsConfig
{
    /// <summary>Most anchors in a bundle.</summary>
    public const int MaxAnchors = 4;

    /// <summary>The mode (JSON <c>mode</c>).</summary>
    public MutualTlsMode Mode { get; init; } = MutualTlsMode.Permissive;

    /// <summary>The trust anchors, PEM (JSON <c>trust_bundle</c>); empty = keep the bundle that came with the certificate.</summary>
    public ImmutableArray<string> TrustBundle { get; init; } = [];
}
