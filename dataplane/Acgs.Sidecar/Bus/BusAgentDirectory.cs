// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Frozen;
using System.Text;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// Agent id → bus address of the sidecar hosting it (static from config, or pushed by the control
/// plane through <see cref="Update"/>). Snapshots are swapped whole, so routing running concurrently
/// with an update sees either the old or the new directory, never a mix; lookups by UTF-8 id
/// allocate nothing. After an update the sidecar closes its links to addresses no longer listed
/// (once their queued and unacknowledged messages are answered, or after a grace period).
/// </summary>
public sealed class BusAgentDirectory
{
    private readonly Lock _update = new();
    private volatile Snapshot _snapshot;
    private Action? _changed;

    /// <summary>Creates the directory from <paramref name="entries"/>.</summary>
    public BusAgentDirectory(IReadOnlyDictionary<string, string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _snapshot = new Snapshot(entries, 0);
    }

    /// <summary>The current entries.</summary>
    public IReadOnlyDictionary<string, string> Entries => _snapshot.Map;

    /// <summary>How many times the directory was replaced (0 for the initial one).</summary>
    public long Version => _snapshot.Version;

    /// <summary>
    /// Replaces every entry. Safe to call from any thread while messages are routed; concurrent calls
    /// are serialised (the last one wins). Links to addresses no longer listed are closed afterwards.
    /// </summary>
    public void Update(IReadOnlyDictionary<string, string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Action? changed;
        lock (_update)
        {
            _snapshot = new Snapshot(entries, _snapshot.Version + 1);
            changed = _changed;
        }

        changed?.Invoke();
    }

    /// <summary>Whether some agent is currently hosted at <paramref name="address"/>.</summary>
    public bool ContainsAddress(string address) => _snapshot.Addresses.Contains(address);

    /// <summary>The address hosting the agent whose UTF-8 id is <paramref name="agentUtf8"/>.</summary>
    public bool TryGetAddress(ReadOnlySpan<byte> agentUtf8, out string address)
    {
        var snapshot = _snapshot;
        address = string.Empty;
        if (snapshot.Map.Count == 0)
        {
            return false;
        }

        Span<char> chars = stackalloc char[agentUtf8.Length];
        var n = Encoding.UTF8.GetChars(agentUtf8, chars);
        if (snapshot.Lookup.TryGetValue(chars[..n], out var found))
        {
            address = found;
            return true;
        }

        return false;
    }

    /// <summary>Registers <paramref name="callback"/> to run after every <see cref="Update"/> (the router's link eviction).</summary>
    internal void OnChanged(Action callback)
    {
        lock (_update)
        {
            _changed += callback;
        }
    }

    private sealed class Snapshot
    {
        public Snapshot(IReadOnlyDictionary<string, string> entries, long version)
        {
            Map = entries.ToFrozenDictionary(StringComparer.Ordinal);
            Lookup = Map.GetAlternateLookup<ReadOnlySpan<char>>();
            Addresses = Map.Values.ToFrozenSet(StringComparer.Ordinal);
            Version = version;
        }

        public FrozenDictionary<string, string> Map { get; }

        public FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; }

        public FrozenSet<string> Addresses { get; }

        public long Version { get; }
    }
}
