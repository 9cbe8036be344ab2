// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Frozen;
using System.Text;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// Agent id → bus address of the sidecar hosting it (static from config until the control plane
/// provides it). Snapshots are swapped whole; lookups by UTF-8 id allocate nothing.
/// </summary>
public sealed class BusAgentDirectory
{
    private volatile Snapshot _snapshot;

    /// <summary>Creates the directory from <paramref name="entries"/>.</summary>
    public BusAgentDirectory(IReadOnlyDictionary<string, string> entries) => _snapshot = new Snapshot(entries);

    /// <summary>The current entries.</summary>
    public IReadOnlyDictionary<string, string> Entries => _snapshot.Map;

    /// <summary>Replaces every entry.</summary>
    public void Update(IReadOnlyDictionary<string, string> entries) => _snapshot = new Snapshot(entries);

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

    private sealed class Snapshot
    {
        public Snapshot(IReadOnlyDictionary<string, string> entries)
        {
            Map = entries.ToFrozenDictionary(StringComparer.Ordinal);
            Lookup = Map.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public FrozenDictionary<string, string> Map { get; }

        public FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; }
    }
}
