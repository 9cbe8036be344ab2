// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Acgs.Contracts.Authorization;

/// <summary>
/// What a rule covers (JSON <c>to</c>): path prefixes (whole segments, ASCII letters case-insensitive; empty = every path) and
/// methods (upper case, one of <see cref="AuthorizationMethods.Names"/>; empty = every method).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AuthorizationTarget
{
    /// <summary>Path prefixes (JSON <c>paths</c>), each starting with '/'.</summary>
    public ImmutableArray<string> Paths { get; init => field = value.IsDefault ? [] : value; } = [];

    /// <summary>HTTP methods (JSON <c>methods</c>).</summary>
    public ImmutableArray<string> Methods { get; init => field = value.IsDefault ? [] : value; } = [];
}
