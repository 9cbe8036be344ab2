// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.Core.ConstitutionalHash;

/// <summary>
/// An immutable set of accepted constitutional hashes. More than one is accepted while a new
/// constitution rolls out (rotation); every hash is 16 lowercase hexadecimal characters.
/// </summary>
public sealed class ConstitutionalHashSet
{
    /// <summary>The most hashes a set may hold (rotation needs two; a few spare).</summary>
    public const int MaxHashes = 8;

    private readonly ulong[] _values;

    private ConstitutionalHashSet(ImmutableArray<string> hashes, ulong[] values)
    {
        Hashes = hashes;
        _values = values;
    }

    /// <summary>The set holding only <see cref="AcgsConstants.ConstitutionalHash"/>.</summary>
    public static ConstitutionalHashSet Default { get; } = Create([AcgsConstants.ConstitutionalHash]);

    /// <summary>The accepted hashes, in the order given. Never log or echo these to a caller.</summary>
    public ImmutableArray<string> Hashes { get; }

    /// <summary>The first (primary) hash: the one stamped on outbound requests.</summary>
    public string Primary => Hashes[0];

    /// <summary>Builds a set, throwing <see cref="ArgumentException"/> listing every invalid entry.</summary>
    public static ConstitutionalHashSet Create(IEnumerable<string> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        if (!TryCreate(hashes, out var set, out var errors))
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(hashes));
        }

        return set;
    }

    /// <summary>Builds a set, reporting every invalid entry instead of throwing.</summary>
    public static bool TryCreate(IEnumerable<string> hashes, out ConstitutionalHashSet set, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        var list = new List<string>();
        var problems = new List<string>();
        var index = 0;
        foreach (var hash in hashes)
        {
            if (!TryParse(hash, out _))
            {
                problems.Add($"accepted hash #{index} is not 16 lowercase hexadecimal characters");
            }
            else if (!list.Contains(hash, StringComparer.Ordinal))
            {
                list.Add(hash);
            }

            index++;
        }

        if (index == 0)
        {
            problems.Add("at least one accepted hash is required");
        }
        else if (list.Count > MaxHashes)
        {
            problems.Add($"at most {MaxHashes} accepted hashes are allowed, got {list.Count}");
        }

        if (problems.Count > 0)
        {
            set = Default;
            errors = problems;
            return false;
        }

        var values = new ulong[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            _ = TryParse(list[i], out values[i]);
        }

        set = new ConstitutionalHashSet([.. list], values);
        errors = [];
        return true;
    }

    /// <summary>
    /// Compares a well-formed value against every accepted hash in constant time: the work does not
    /// depend on where (or whether) the value differs.
    /// </summary>
    internal bool ContainsParsed(ulong candidate)
    {
        ulong found = 0;
        var values = _values;
        for (var i = 0; i < values.Length; i++)
        {
            var diff = values[i] ^ candidate;
            // 1 when diff == 0, else 0, without a branch: (diff | -diff) has its top bit set iff diff != 0.
            found |= ((diff | (0UL - diff)) >> 63) ^ 1UL;
        }

        return found != 0;
    }

    /// <summary>Parses 16 lowercase hex characters into a 64-bit value.</summary>
    internal static bool TryParse(ReadOnlySpan<char> value, out ulong result)
    {
        result = 0;
        if (value.Length != AcgsConstants.HashLength)
        {
            return false;
        }

        uint bad = 0;
        for (var i = 0; i < value.Length; i++)
        {
            int c = value[i];
            var digit = HexValue(c);
            bad |= (uint)digit >> 31;
            result = (result << 4) | (uint)(digit & 0xF);
        }

        return bad == 0;
    }

    /// <summary>Parses 16 lowercase hex UTF-8 bytes into a 64-bit value.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> value, out ulong result)
    {
        result = 0;
        if (value.Length != AcgsConstants.HashLength)
        {
            return false;
        }

        uint bad = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var digit = HexValue(value[i]);
            bad |= (uint)digit >> 31;
            result = (result << 4) | (uint)(digit & 0xF);
        }

        return bad == 0;
    }

    /// <summary>0–15 for '0'–'9' and 'a'–'f'; negative for anything else (uppercase included).</summary>
    private static int HexValue(int c)
    {
        if ((uint)(c - '0') <= 9)
        {
            return c - '0';
        }

        if ((uint)(c - 'a') <= 5)
        {
            return c - 'a' + 10;
        }

        return -1;
    }
}
