// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;

namespace Acgs.Sidecar.Config;

/// <summary>The bus agent directory part of <see cref="ConfigApplier"/>.</summary>
internal sealed partial class ConfigApplier
{
    /// <summary>
    /// True when <paramref name="next"/> differs from <paramref name="current"/> at most in its version and
    /// <c>agent_directory</c> (agents connecting and leaving anywhere in the mesh change every snapshot this way).
    /// </summary>
    internal static bool OnlyAgentDirectoryChanged(ConfigSnapshot current, ConfigSnapshot next)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        return string.Equals(
            ConfigSnapshotJson.Serialize(current with { Version = string.Empty, AgentDirectory = [] }),
            ConfigSnapshotJson.Serialize(next with { Version = string.Empty, AgentDirectory = [] }),
            StringComparison.Ordinal);
    }

    /// <summary>
    /// Applies a snapshot whose routing is unchanged: the bus directory is updated and the snapshot becomes active,
    /// but YARP keeps its routes and clusters (no change token fires, nothing is recompiled).
    /// </summary>
    private ApplyResult ApplyDirectoryOnly(ActiveConfig previous, ConfigSnapshot snapshot, string source, string version)
    {
        var active = new ActiveConfig(snapshot, source, _time.GetUtcNow(), previous.Hash, previous.Resilience, previous.Proxy, previous.Faults, previous.Authorization);
        UpdateAgentDirectory(snapshot);
        Volatile.Write(ref _current, active);
        _metrics.ConfigApplies.Inc();
        LogApplied(version, source, previous.Proxy.Routes.Count, previous.Proxy.Clusters.Count);
        Applied?.Invoke(active);
        return ApplyResult.Ok(version);
    }

    private void UpdateAgentDirectory(ConfigSnapshot snapshot)
    {
        if (_agents is null)
        {
            return;
        }

        var merged = new Dictionary<string, string>(_staticAgents, StringComparer.Ordinal);
        foreach (var (agent, address) in snapshot.AgentDirectory)
        {
            merged[agent] = address;
        }

        if (!SameEntries(merged, _agents.Entries))
        {
            _agents.Update(merged); // only on a real change: an update makes the bus re-check its peer links
        }
    }

    private static bool SameEntries(Dictionary<string, string> merged, IReadOnlyDictionary<string, string> current)
    {
        if (merged.Count != current.Count)
        {
            return false;
        }

        foreach (var (agent, address) in merged)
        {
            if (!current.TryGetValue(agent, out var existing) || !string.Equals(existing, address, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
