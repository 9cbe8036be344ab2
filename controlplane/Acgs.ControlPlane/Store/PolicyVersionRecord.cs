// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Store;

/// <summary>One immutable version of a policy's content, as stored.</summary>
internal sealed record PolicyVersionRecord
{
    /// <summary>Semantic version (SemVer 2.0), unique within the policy.</summary>
    public required string Version { get; init; }

    /// <summary>The content as canonical JSON (see <see cref="Policies.CanonicalJson"/>).</summary>
    public required string Content { get; init; }

    /// <summary>Lowercase hex SHA-256 of the UTF-8 canonical content.</summary>
    public required string ContentSha256 { get; init; }

    /// <summary>draft, active or retired.</summary>
    public PolicyVersionStatus Status { get; init; }

    /// <summary>When the version was stored.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was (last) activated.</summary>
    public DateTimeOffset? ActivatedAt { get; init; }

    /// <summary>When a later activation retired it.</summary>
    public DateTimeOffset? RetiredAt { get; init; }
}
