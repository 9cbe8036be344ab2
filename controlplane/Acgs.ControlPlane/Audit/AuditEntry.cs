// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Audit;

/// <summary>
/// One append-only audit entry. <see cref="Hash"/> is the SHA-256 of every other field (including
/// <see cref="PreviousHash"/>), so changing or removing any entry breaks the chain after it.
/// </summary>
internal sealed record AuditEntry
{
    /// <summary>1 for the first entry, +1 for each next one.</summary>
    public long Sequence { get; init; }

    /// <summary>When the change was made.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>Who made it.</summary>
    public string Actor { get; init; } = string.Empty;

    /// <summary>What was done.</summary>
    public string Action { get; init; } = string.Empty;

    /// <summary>The policy concerned.</summary>
    public string PolicyId { get; init; } = string.Empty;

    /// <summary>The version concerned, if any.</summary>
    public string? Version { get; init; }

    /// <summary>Extra facts.</summary>
    public string? Detail { get; init; }

    /// <summary>The previous entry's <see cref="Hash"/>; 64 zeros for the first entry.</summary>
    public string PreviousHash { get; init; } = AuditChain.GenesisHash;

    /// <summary>Lowercase hex SHA-256 of this entry's canonical form.</summary>
    public string Hash { get; init; } = string.Empty;
}
