// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.Contracts.Authorization;

/// <summary>The HTTP methods a rule may name, and their bits in a method mask (one bit each, bit 9 for any other method).</summary>
public static class AuthorizationMethods
{
    /// <summary>The bit of a method not in <see cref="Names"/> (matched only by rules without methods).</summary>
    public const int OtherBit = 1 << 9;

    /// <summary>The method names, upper case; bit i of a mask is <c>Names[i]</c>.</summary>
    public static ImmutableArray<string> Names { get; } = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"];

    /// <summary>The bit of <paramref name="method"/> (exact, upper case), or 0 when it is not a known name.</summary>
    public static int BitOfName(string? method)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (string.Equals(Names[i], method, StringComparison.Ordinal))
            {
                return 1 << i;
            }
        }

        return 0;
    }

    /// <summary>The bit of a request's method (case-insensitive, allocation-free); <see cref="OtherBit"/> for any other method.</summary>
    public static int BitOfRequest(ReadOnlySpan<char> method) => method.Length switch
    {
        3 when method.Equals("GET", StringComparison.OrdinalIgnoreCase) => 1,
        4 when method.Equals("HEAD", StringComparison.OrdinalIgnoreCase) => 1 << 1,
        4 when method.Equals("POST", StringComparison.OrdinalIgnoreCase) => 1 << 2,
        3 when method.Equals("PUT", StringComparison.OrdinalIgnoreCase) => 1 << 3,
        6 when method.Equals("DELETE", StringComparison.OrdinalIgnoreCase) => 1 << 4,
        5 when method.Equals("PATCH", StringComparison.OrdinalIgnoreCase) => 1 << 5,
        7 when method.Equals("OPTIONS", StringComparison.OrdinalIgnoreCase) => 1 << 6,
        5 when method.Equals("TRACE", StringComparison.OrdinalIgnoreCase) => 1 << 7,
        7 when method.Equals("CONNECT", StringComparison.OrdinalIgnoreCase) => 1 << 8,
        _ => OtherBit,
    };
}
