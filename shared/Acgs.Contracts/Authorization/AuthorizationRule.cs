// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Acgs.Contracts.Authorization;

/// <summary>
/// One rule of an <c>Authorization</c> policy: the callers it is about (JSON <c>from</c>: service names, SPIFFE IDs,
/// <c>"*"</c>, <c>"unauthenticated"</c>; see <see cref="AuthorizationPrincipal"/>) and, optionally, the requests
/// (JSON <c>to</c>). A request matches when its caller is in <see cref="From"/> and it is covered by <see cref="To"/>.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AuthorizationRule
{
    /// <summary>The callers (JSON <c>from</c>), at least one.</summary>
    public ImmutableArray<string> From { get; init => field = value.IsDefault ? [] : value; } = [];

    /// <summary>The requests (JSON <c>to</c>); null = every request.</summary>
    public AuthorizationTarget? To { get; init; }
}
