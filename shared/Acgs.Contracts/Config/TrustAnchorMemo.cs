// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Config;

/// <summary>
/// The trust anchors (<see cref="MutualTlsConfig.TrustBundle"/>) of the last snapshot validated through
/// <see cref="ConfigSnapshotValidator.Validate(ConfigSnapshot?, TrustAnchorMemo)"/>, each with whether it parsed as a
/// PEM certificate, so a sidecar that keeps one memo across the snapshots it receives parses an anchor once
/// rather than on every snapshot (the bundle changes only with a CA rotation). The errors are the same as
/// without the memo: an anchor's validity depends only on its PEM text, looked up by ordinal equality.
/// Bounded: each validation replaces what is remembered with the anchors of that snapshot alone (at most
/// <see cref="MutualTlsConfig.MaxAnchors"/>; none for a snapshot without <c>mutual_tls</c>), so the memo never grows
/// across snapshots. Unlike <see cref="ConfigValidationMemo"/> it holds no clusters or other parts.
/// Safe for concurrent use: the remembered anchors are an immutable array swapped whole; concurrent
/// validations at worst parse an anchor again.
/// </summary>
public sealed class TrustAnchorMemo
{
    private Anchor[] _anchors = [];

    /// <summary>How many anchors are remembered (those of the last snapshot validated, at most <see cref="MutualTlsConfig.MaxAnchors"/>).</summary>
    internal int Count => Volatile.Read(ref _anchors).Length;

    /// <summary>True when <paramref name="pem"/> is remembered (one of the last snapshot's anchors).</summary>
    internal bool Contains(string pem) => Find(Volatile.Read(ref _anchors), pem, out _);

    /// <summary>The remembered anchors, read once per validation.</summary>
    internal Anchor[] Current => Volatile.Read(ref _anchors);

    /// <summary>Replaces the remembered anchors with <paramref name="anchors"/> (not changed afterwards).</summary>
    internal void Remember(Anchor[] anchors) => Volatile.Write(ref _anchors, anchors);

    /// <summary>The validity of <paramref name="pem"/> when it is one of <paramref name="anchors"/>.</summary>
    internal static bool Find(Anchor[] anchors, string? pem, out bool valid)
    {
        foreach (var anchor in anchors)
        {
            if (pem is not null && string.Equals(anchor.Pem, pem, StringComparison.Ordinal))
            {
                valid = anchor.Valid;
                return true;
            }
        }

        valid = false;
        return false;
    }

    /// <summary>One remembered anchor: its PEM text (null for a null entry, which no lookup matches) and whether it parsed as a certificate.</summary>
    internal readonly record struct Anchor(string? Pem, bool Valid);
}
