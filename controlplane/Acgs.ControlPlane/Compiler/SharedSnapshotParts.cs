// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Acgs.Contracts.Config;

namespace Acgs.ControlPlane.Compiler;

/// <summary>
/// The parts of a compilation pass that every service's snapshot holds by reference — the clusters of the discovered
/// services and the agent directory — serialized once, on first use, as compact JSON through the source-generated context.
/// <see cref="SnapshotEncoding"/> splices these bytes into each snapshot's JSON instead of serializing the same clusters once
/// per service; a snapshot whose clusters differ (a Route policy's static destinations) is serialized whole.
/// Not thread-safe: one compilation pass at a time.
/// </summary>
internal sealed class SharedSnapshotParts
{
    private readonly ImmutableDictionary<string, ClusterConfig> _clusters;
    private readonly ImmutableDictionary<string, string> _agentDirectory;
    private byte[]? _clustersJson;
    private byte[]? _agentDirectoryJson;

    public SharedSnapshotParts(ImmutableDictionary<string, ClusterConfig> clusters, ImmutableDictionary<string, string> agentDirectory)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(agentDirectory);
        _clusters = clusters;
        _agentDirectory = agentDirectory;
    }

    /// <summary>The JSON of <paramref name="snapshot"/>'s clusters when they are the shared ones (and not empty), else null.</summary>
    public byte[]? ClustersJsonOf(ConfigSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return ReferenceEquals(snapshot.Clusters, _clusters) && !_clusters.IsEmpty
            ? _clustersJson ??= Serialize(_clusters, ConfigSnapshotJsonContext.Default.ImmutableDictionaryStringClusterConfig)
            : null;
    }

    /// <summary>The JSON of <paramref name="snapshot"/>'s agent directory when it is the shared one (and not empty), else null.</summary>
    public byte[]? AgentDirectoryJsonOf(ConfigSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return ReferenceEquals(snapshot.AgentDirectory, _agentDirectory) && !_agentDirectory.IsEmpty
            ? _agentDirectoryJson ??= Serialize(_agentDirectory, ConfigSnapshotJsonContext.Default.ImmutableDictionaryStringString)
            : null;
    }

    private static byte[] Serialize<T>(T value, JsonTypeInfo<T> type)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var writer = SnapshotEncoding.CompactWriter(buffer))
        {
            JsonSerializer.Serialize(writer, value, type);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
