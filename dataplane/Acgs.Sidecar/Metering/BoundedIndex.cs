// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;

namespace Acgs.Sidecar.Metering;

/// <summary>
/// Gives each distinct key a small dense index, at most <see cref="Capacity"/>; index 0 is the reserved "other" key,
/// which every key past the bound also gets. Lookups of a known key go through <see cref="Ids"/> without a lock or an
/// allocation; a new key takes a lock once. Used for the metering's dimension names and its counter slots.
/// </summary>
internal sealed class BoundedIndex<TKey>
    where TKey : notnull
{
    private readonly TKey[] _keys;
    private int _count = 1;

    /// <summary>An index for at most <paramref name="capacity"/> keys, <paramref name="other"/> at index 0.</summary>
    public BoundedIndex(int capacity, TKey other, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _keys = new TKey[capacity];
        _keys[0] = other;
        Ids = new ConcurrentDictionary<TKey, int>(comparer);
        Ids[other] = 0;
    }

    /// <summary>Most distinct keys (with "other").</summary>
    public int Capacity { get; }

    /// <summary>Key → index, for lock-free lookups (and alternate lookups by span).</summary>
    public ConcurrentDictionary<TKey, int> Ids { get; }

    /// <summary>Keys so far (with "other").</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The key of <paramref name="index"/> (below <see cref="Count"/>).</summary>
    public TKey KeyOf(int index) => _keys[index];

    /// <summary>The index of <paramref name="key"/>, adding it when there is room, else 0.</summary>
    public int Add(TKey key)
    {
        lock (_keys) // once per new key, never for a known one
        {
            if (Ids.TryGetValue(key, out var index))
            {
                return index;
            }

            if (_count >= Capacity)
            {
                return 0;
            }

            index = _count;
            _keys[index] = key;
            Volatile.Write(ref _count, index + 1);
            Ids[key] = index;
            return index;
        }
    }
}
