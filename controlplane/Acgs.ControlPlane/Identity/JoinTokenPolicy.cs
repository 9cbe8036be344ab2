// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Identity;

/// <summary>Limits of join tokens.</summary>
internal static class JoinTokenPolicy
{
    /// <summary>Longest lifetime (30 days).</summary>
    public const int MaxTtlSeconds = 2_592_000;

    /// <summary>Most uses of one token.</summary>
    public const int MaxUses = 1000;
}
