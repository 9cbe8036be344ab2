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

    private readonly ConcurrentDictionary<string, int> _ids = new(MeterNameComparer.Instance);
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _chars;
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<byte>> _bytes;
    private readonly string[] _names = new string[MaxNames];
    private int _count;

    public MeterNames()
    {
        _chars = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
        _bytes = _ids.GetAlternateLookup<ReadOnlySpan<byte>>();
        _names[0] = MeteringKinds.Other;
        _ids[MeteringKinds.Other] = 0;
        _count = 1;
    }

    /// <summary>Names so far (with <c>other</c>).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The name of <paramref name="id"/>.</summary>
    public string NameOf(int id) => (uint)id < (uint)Count ? _names[id] : MeteringKinds.Other;

    /// <summary>The id of <paramref name="name"/>.</summary>
    public int IdOf(ReadOnlySpan<char> name)
    {
        if (_chars.TryGetValue(name, out var id))
        {
            return id;
        }

        return name.IsEmpty || name.Length > MaxNameLength || !IsPrintable(name) ? 0 : Add(name.ToString());
    }

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

    private int Add(string name)
    {
        lock (_names) // once per new name, never for a known one
        {
            if (_ids.TryGetValue(name, out var id))
            {
                return id;
            }

            if (_count >= MaxNames)
            {
                return 0;
            }

            id = _count;
            _names[id] = name;
            Volatile.Write(ref _count, id + 1);
            _ids[name] = id;
            return id;
        }
    }
}
