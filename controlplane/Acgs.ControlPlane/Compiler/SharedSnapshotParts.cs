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
/// per service; an unscoped snapshot whose clusters differ (a Route policy's static destinations) is serialized whole. A snapshot
/// scoped by an Egress policy gets its <c>clusters</c> object assembled from per-cluster fragments: each shared cluster is
/// serialized once per pass, a rebuilt one for that snapshot only, and the names are written in the dictionary's own enumeration
/// order, so the bytes are those of serializing that dictionary. Not thread-safe: one compilation pass at a time. The pass's
/// services are encoded one after another, so an assembled <c>clusters</c> object and a snapshot's head are written into two
/// buffers the pass reuses (<see cref="ClustersOf"/>, <see cref="HeadBuffer"/>) instead of new, growing ones per service.
/// </summary>
internal sealed class SharedSnapshotParts
{
    /// <summary>The first buffer for one cluster's JSON: a cluster is far smaller than a snapshot (the buffer grows when one is not).</summary>
    private const int ClusterBuffer = 1024;

    private readonly ImmutableDictionary<string, ClusterConfig> _clusters;
    private readonly ImmutableDictionary<string, string> _agentDirectory;
    private byte[]? _clustersJson;
    private Dictionary<string, byte[]>? _clusterJson;
    private byte[]? _agentDirectoryJson;
    private ArrayBufferWriter<byte>? _assembled;
    private ArrayBufferWriter<byte>? _head;

    public SharedSnapshotParts(ImmutableDictionary<string, ClusterConfig> clusters, ImmutableDictionary<string, string> agentDirectory)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(agentDirectory);
        _clusters = clusters;
        _agentDirectory = agentDirectory;
    }

    /// <summary>
    /// The JSON of <paramref name="snapshot"/>'s clusters when they are the shared ones (and not empty); else, with
    /// <paramref name="assemble"/> (a scoped snapshot), assembled from per-cluster fragments; else null.
    /// </summary>
    public byte[]? ClustersJsonOf(ConfigSnapshot snapshot, bool assemble = false)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return ReferenceEquals(snapshot.Clusters, _clusters) && !snapshot.Clusters.IsEmpty ? Shared() : ClustersOf(snapshot, assemble)?.ToArray();
    }

    /// <summary>
    /// As <see cref="ClustersJsonOf"/>, without copying an assembled object out of the pass's buffer: the bytes are valid until
    /// the next call (the encoder copies them into the snapshot's JSON at once).
    /// </summary>
    internal ReadOnlyMemory<byte>? ClustersOf(ConfigSnapshot snapshot, bool assemble)
    {
        var clusters = snapshot.Clusters;
        if (clusters.IsEmpty)
        {
            return null;
        }

        if (ReferenceEquals(clusters, _clusters))
        {
            return Shared();
        }

        if (!assemble)
        {
            return null; // (not a conditional expression: null would convert to an empty ReadOnlyMemory through byte[])
        }

        return Assemble(clusters);
    }

    /// <summary>The pass's buffer for a snapshot's head (its JSON without the shared parts), emptied: valid until the next call.</summary>
    internal ArrayBufferWriter<byte> HeadBuffer() => Reset(ref _head, 4 * 1024);

    private byte[] Shared() => _clustersJson ??= Serialize(_clusters, ConfigSnapshotJsonContext.Default.ImmutableDictionaryStringClusterConfig);

    /// <summary>The <c>clusters</c> object of <paramref name="clusters"/>, in its enumeration order, from each cluster's fragment.</summary>
    private ReadOnlyMemory<byte> Assemble(ImmutableDictionary<string, ClusterConfig> clusters)
    {
        var buffer = Reset(ref _assembled, clusters.Count * 1024);
        using (var writer = SnapshotEncoding.CompactWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, cluster) in clusters)
            {
                writer.WritePropertyName(name);
                writer.WriteRawValue(FragmentOf(name, cluster), skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    /// <summary><paramref name="buffer"/> with nothing written (created with <paramref name="capacity"/> on first use; it keeps what it grew to).</summary>
    private static ArrayBufferWriter<byte> Reset(ref ArrayBufferWriter<byte>? buffer, int capacity)
    {
        if (buffer is null)
        {
            return buffer = new ArrayBufferWriter<byte>(capacity);
        }

        buffer.ResetWrittenCount();
        return buffer;
    }

    /// <summary>The JSON of one cluster: kept for the pass when it is the shared instance, else serialized for this use.</summary>
    private byte[] FragmentOf(string name, ClusterConfig cluster)
    {
        if (!_clusters.TryGetValue(name, out var shared) || !ReferenceEquals(shared, cluster))
        {
            return Serialize(cluster, ConfigSnapshotJsonContext.Default.ClusterConfig, ClusterBuffer);
        }

        _clusterJson ??= new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (!_clusterJson.TryGetValue(name, out var json))
        {
            json = Serialize(cluster, ConfigSnapshotJsonContext.Default.ClusterConfig, ClusterBuffer);
            _clusterJson[name] = json;
        }

        return json;
    }

    /// <summary>The JSON of <paramref name="snapshot"/>'s agent directory when it is the shared one (and not empty), else null.</summary>
    public byte[]? AgentDirectoryJsonOf(ConfigSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return ReferenceEquals(snapshot.AgentDirectory, _agentDirectory) && !_agentDirectory.IsEmpty
            ? _agentDirectoryJson ??= Serialize(_agentDirectory, ConfigSnapshotJsonContext.Default.ImmutableDictionaryStringString)
            : null;
    }

    private static byte[] Serialize<T>(T value, JsonTypeInfo<T> type, int initialBuffer = 16 * 1024)
    {
        var buffer = new ArrayBufferWriter<byte>(initialBuffer);
        using (var writer = SnapshotEncoding.CompactWriter(buffer))
        {
            JsonSerializer.Serialize(writer, value, type);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
