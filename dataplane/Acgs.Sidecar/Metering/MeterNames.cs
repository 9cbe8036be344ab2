// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Text;
using Acgs.Contracts.Metering;

namespace Acgs.Sidecar.Metering;

/// <summary>
/// Interns the names of the metering dimensions (callers, operations, tenants, agents) into small ids, at most
/// <see cref="MaxNames"/>: a name seen after that, or longer than <see cref="MaxNameLength"/>, or a non-ASCII bus field,
/// is id 0 (<c>other</c>), as are empty names and names with whitespace or control characters. Looking a known name up allocates nothing; a new name allocates its string once.
/// </summary>
internal sealed class MeterNames
{
    /// <summary>Most distinct names (ids fit in 16 bits of a slot key).</summary>
    public const int MaxNames = 4096;

    /// <summary>Longest name kept.</summary>
    public const int MaxNameLength = 256;

    private readonly BoundedIndex<string> _index = new(MaxNames, MeteringKinds.Other, MeterNameComparer.Instance);
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _chars;
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<byte>> _bytes;

    public MeterNames()
    {
        _chars = _index.Ids.GetAlternateLookup<ReadOnlySpan<char>>();
        _bytes = _index.Ids.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>Names so far (with <c>other</c>).</summary>
    public int Count => _index.Count;

    /// <summary>The name of <paramref name="id"/>.</summary>
    public string NameOf(int id) => (uint)id < (uint)Count ? _index.KeyOf(id) : MeteringKinds.Other;

    /// <summary>The id of <paramref name="name"/>.</summary>
    public int IdOf(ReadOnlySpan<char> name)
    {
        if (_chars.TryGetValue(name, out var id))
        {
            return id;
        }

        return name.IsEmpty || name.Length > MaxNameLength || !IsPrintable(name) ? 0 : _index.Add(name.ToString());
    }

    /// <summary>
    /// The id of <paramref name="name"/>, first trying <paramref name="hint"/> (the id a connection's previous request
    /// got, or -1): when <paramref name="name"/> is that id's name, one ordinal compare instead of a hash and a lookup.
    /// </summary>
    public int IdOf(ReadOnlySpan<char> name, int hint) =>
        (uint)hint < (uint)Count && name.SequenceEqual(_index.KeyOf(hint)) ? hint : IdOf(name);

    /// <summary>The id of an ASCII <paramref name="name"/> (a bus field).</summary>
    public int IdOf(ReadOnlySpan<byte> name)
    {
        if (_bytes.TryGetValue(name, out var id))
        {
            return id;
        }

        return name.IsEmpty || name.Length > MaxNameLength || !Ascii.IsValid(name) ? 0 : IdOf(Encoding.ASCII.GetString(name).AsSpan());
    }

    /// <summary>True when <paramref name="name"/> has no whitespace or control character (what the control plane accepts).</summary>
    private static bool IsPrintable(ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        return true;
    }
}
