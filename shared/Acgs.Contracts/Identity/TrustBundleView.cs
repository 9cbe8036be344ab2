// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.Contracts.Identity;

/// <summary>The mesh's trust domain and anchors (<see cref="IdentityPaths.TrustBundle"/>).</summary>
public sealed record TrustBundleView
{
    /// <summary>The SPIFFE trust domain.</summary>
    public string TrustDomain { get; init; } = string.Empty;

    /// <summary>The anchors, PEM.</summary>
    public ImmutableArray<string> TrustBundle { get; init; } = [];
}
