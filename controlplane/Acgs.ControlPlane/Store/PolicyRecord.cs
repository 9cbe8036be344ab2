// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.ControlPlane.Store;

/// <summary>A policy and all its versions: the unit the store reads and replaces atomically.</summary>
internal sealed record PolicyRecord
{
    /// <summary>Policy id: lowercase letters, digits, '-', '.', '_' (1–128).</summary>
    public required string Id { get; init; }

    /// <summary>Free text for operators.</summary>
    public string? Description { get; init; }

    /// <summary>Optimistic-concurrency counter: 1 when created, +1 on every change.</summary>
    public long Revision { get; init; }

    /// <summary>When the policy was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The active version, or null when none is.</summary>
    public string? ActiveVersion { get; init; }

    /// <summary>Every version, oldest first.</summary>
    public ImmutableArray<PolicyVersionRecord> Versions { get; init; } = [];

    /// <summary>The version named <paramref name="version"/>, or null.</summary>
    public PolicyVersionRecord? FindVersion(string? version)
    {
        if (version is null || Versions.IsDefault)
        {
            return null;
        }

        foreach (var candidate in Versions)
        {
            if (string.Equals(candidate.Version, version, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return null;
    }
}
