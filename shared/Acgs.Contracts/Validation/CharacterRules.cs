// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;

namespace Acgs.Contracts.Validation;

/// <summary>Character sets used by <see cref="ValidationBuilder"/>.</summary>
internal static class CharacterRules
{
    private static readonly SearchValues<char> NameCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-_.");
    private static readonly SearchValues<char> PathForbidden = SearchValues.Create(" \t\r\n?#");
    private static readonly SearchValues<char> HostForbidden = SearchValues.Create(" \t\r\n/?#@");

    /// <summary>True when every character is allowed in a name (lowercase letters, digits, '-', '_', '.').</summary>
    public static bool IsNameCharactersOnly(ReadOnlySpan<char> value) => !value.ContainsAnyExcept(NameCharacters);

    /// <summary>True when the value contains whitespace, '?' or '#'.</summary>
    public static bool HasPathForbidden(ReadOnlySpan<char> value) => value.ContainsAny(PathForbidden);

    /// <summary>True when the value contains whitespace, '/', '?', '#' or '@' (not a host or host:port).</summary>
    public static bool HasHostForbidden(ReadOnlySpan<char> value) => value.ContainsAny(HostForbidden);
}
