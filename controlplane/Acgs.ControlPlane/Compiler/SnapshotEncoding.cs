// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Acgs.Contracts.Config;

namespace Acgs.ControlPlane.Compiler;

/// <summary>
/// The compact JSON of a snapshot, and its version from the same bytes. The snapshot is serialized once with an empty
/// version and, when <see cref="SharedSnapshotParts"/> holds its clusters or agent directory, with those empty too: the shared
/// parts' bytes (serialized once per pass) go in place of the empty <c>{}</c>. The result is byte for byte what serializing the
/// whole snapshot gives. Those bytes are hashed for the version, which goes into the empty <c>"version":""</c>.
/// Each marker is found by its first occurrence, which is the property itself: <c>version</c> and <c>clusters</c> follow only
/// string values, <c>agent_directory</c> follows nothing else named so, and a quote inside a JSON string is always escaped.
/// </summary>
internal static class SnapshotEncoding
{
    private static readonly byte[] EmptyVersion = "\"version\":\"\""u8.ToArray();
    private static readonly byte[] VersionMarker = "\"version\":\""u8.ToArray();
    private static readonly byte[] EmptyClusters = "\"clusters\":{}"u8.ToArray();
    private static readonly byte[] EmptyAgentDirectory = "\"agent_directory\":{}"u8.ToArray();

    /// <summary>The compact JSON of <paramref name="snapshot"/>, as written on a watch stream.</summary>
    public static byte[] Serialize(ConfigSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        Write(buffer, snapshot);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>&lt;revision&gt;-&lt;first 12 hex of SHA-256 of the compact JSON with an empty version&gt;</c> and the JSON carrying that version.</summary>
    public static (string Version, byte[] Json) Encode(ConfigSnapshot snapshot, long revision) => Encode(snapshot, revision, shared: null);

    /// <summary>
    /// As <see cref="Encode(ConfigSnapshot, long)"/>, splicing in the bytes of the parts <paramref name="shared"/> holds instead of serializing them again.
    /// With <paramref name="scoped"/> (clusters scoped by an Egress policy) the clusters are assembled from the per-cluster parts.
    /// </summary>
    public static (string Version, byte[] Json) Encode(ConfigSnapshot snapshot, long revision, SharedSnapshotParts? shared, bool scoped = false)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var assembled = shared?.ClustersOf(snapshot, scoped);
        var clusters = assembled is { } bytes ? bytes.Span : default;
        var agents = shared?.AgentDirectoryJsonOf(snapshot);
        var buffer = shared?.HeadBuffer() ?? new ArrayBufferWriter<byte>(16 * 1024);
        Write(buffer, snapshot with
        {
            Version = string.Empty,
            Clusters = assembled is null ? snapshot.Clusters : ImmutableDictionary<string, ClusterConfig>.Empty,
            AgentDirectory = agents is null ? snapshot.AgentDirectory : ImmutableDictionary<string, string>.Empty,
        });
        var head = buffer.WrittenSpan;
        var versionAt = After(head, 0, EmptyVersion) - 1; // before the closing quote
        var clustersAt = assembled is null ? versionAt : After(head, versionAt, EmptyClusters) - 2; // at the "{}"
        var agentsAt = agents is null ? clustersAt : After(head, clustersAt, EmptyAgentDirectory) - 2;
        if (versionAt < 0 || clustersAt < 0 || agentsAt < 0)
        {
            return Encode(snapshot, revision, shared: null); // not reached: the properties are always written
        }

        // Version text: "<revision>-" and 12 hex digits, so its length is known before the hash is.
        var prefix = revision.ToString(CultureInfo.InvariantCulture) + "-";
        var versionLength = prefix.Length + 12;
        var json = new byte[head.Length + versionLength + (assembled is null ? 0 : clusters.Length - 2) + (agents is null ? 0 : agents.Length - 2)];
        var to = Copy(head[..versionAt], json, 0) + versionLength;
        var gap = versionAt;
        var from = versionAt;
        if (assembled is not null)
        {
            to = Copy(head[from..clustersAt], json, to);
            to = Copy(clusters, json, to);
            from = clustersAt + 2;
        }

        if (agents is not null)
        {
            to = Copy(head[from..agentsAt], json, to);
            to = Copy(agents, json, to);
            from = agentsAt + 2;
        }

        Copy(head[from..], json, to);

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(json, 0, gap);
        sha.AppendData(json, gap + versionLength, json.Length - gap - versionLength);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        sha.GetHashAndReset(hash);
        var version = prefix + Convert.ToHexStringLower(hash[..6]);
        Encoding.ASCII.GetBytes(version, json.AsSpan(gap, versionLength));
        return (version, json);
    }

    /// <summary>
    /// The version and JSON of the snapshot <paramref name="json"/> encodes (version <paramref name="version"/>) as encoded with
    /// <paramref name="revision"/>: the same content hash, the version's text replaced in a copy (the first <c>"version":"</c> is
    /// the property). The same as encoding the snapshot again with that revision; null when the JSON does not carry the version.
    /// </summary>
    public static (string Version, byte[] Json)? WithRevision(string version, byte[] json, long revision)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(json);
        var stamped = revision.ToString(CultureInfo.InvariantCulture) + "-" + SnapshotCompiler.ContentOf(version);
        var old = Encoding.UTF8.GetBytes(version);
        var at = After(json, 0, VersionMarker);
        if (at < 0 || json.Length - at <= old.Length || !json.AsSpan(at, old.Length).SequenceEqual(old) || json[at + old.Length] != (byte)'"')
        {
            return null;
        }

        if (string.Equals(stamped, version, StringComparison.Ordinal))
        {
            return (version, json);
        }

        var copy = new byte[json.Length - old.Length + stamped.Length];
        var to = Copy(json.AsSpan(0, at), copy, 0);
        to += Encoding.ASCII.GetBytes(stamped, copy.AsSpan(to));
        Copy(json.AsSpan(at + old.Length), copy, to);
        return (stamped, copy);
    }

    /// <summary>A compact writer with the snapshot context's encoder: what every part of a snapshot's JSON is written with.</summary>
    internal static Utf8JsonWriter CompactWriter(IBufferWriter<byte> buffer) =>
        new(buffer, new JsonWriterOptions { Indented = false, Encoder = ConfigSnapshotJsonContext.Default.Options.Encoder });

    private static void Write(IBufferWriter<byte> buffer, ConfigSnapshot snapshot)
    {
        using var writer = CompactWriter(buffer);
        JsonSerializer.Serialize(writer, snapshot, ConfigSnapshotJsonContext.Default.ConfigSnapshot);
    }

    /// <summary>The index just after the first <paramref name="marker"/> at or after <paramref name="start"/>, or -1.</summary>
    private static int After(ReadOnlySpan<byte> json, int start, byte[] marker)
    {
        if (start < 0)
        {
            return -1;
        }

        var at = json[start..].IndexOf(marker);
        return at < 0 ? -1 : start + at + marker.Length;
    }

    private static int Copy(ReadOnlySpan<byte> source, byte[] destination, int at)
    {
        source.CopyTo(destination.AsSpan(at));
        return at + source.Length;
    }
}
