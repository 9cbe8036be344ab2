// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.Contracts.Identity;

/// <summary>The join tokens (admin listing), without secrets.</summary>
public sealed record JoinTokenList
{
    /// <summary>Every stored token, newest first.</summary>
    public ImmutableArray<JoinTokenResponse> Tokens { get; init; } = [];

    /// <summary>How many.</summary>
    public int Count { get; init; }
}
