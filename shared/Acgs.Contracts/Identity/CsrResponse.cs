// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.Contracts.Identity;

/// <summary>An issued workload certificate (201 answer to <see cref="CsrRequest"/>).</summary>
public sealed record CsrResponse
{
    /// <summary>The leaf certificate, PEM.</summary>
    public string Certificate { get; init; } = string.Empty;

    /// <summary>Intermediates between the leaf and an anchor, PEM, leaf-side first (empty when the issuer is the anchor).</summary>
    public ImmutableArray<string> Chain { get; init; } = [];

    /// <summary>The trust anchors, PEM (two during a CA rotation).</summary>
    public ImmutableArray<string> TrustBundle { get; init; } = [];

    /// <summary>The SPIFFE ID written into the certificate (its only URI SAN).</summary>
    public string SpiffeId { get; init; } = string.Empty;

    /// <summary>The constitutional hash written into the certificate.</summary>
    public string ConstitutionalHash { get; init; } = string.Empty;

    /// <summary>Serial number, hex.</summary>
    public string Serial { get; init; } = string.Empty;

    /// <summary>Start of validity (back-dated for clock skew).</summary>
    public DateTimeOffset NotBefore { get; init; }

    /// <summary>End of validity.</summary>
    public DateTimeOffset NotAfter { get; init; }

    /// <summary>
    /// The workload's control-plane credential, present when the request named its node: a bearer token signed by the CA that
    /// lets this workload watch, ACK/NACK, report and deregister for its own service and node only, until
    /// <see cref="ControlPlaneTokenExpiresAt"/> (never after <see cref="NotAfter"/>). A secret: never log it.
    /// </summary>
    public string? ControlPlaneToken { get; init; }

    /// <summary>When <see cref="ControlPlaneToken"/> expires.</summary>
    public DateTimeOffset? ControlPlaneTokenExpiresAt { get; init; }
}
