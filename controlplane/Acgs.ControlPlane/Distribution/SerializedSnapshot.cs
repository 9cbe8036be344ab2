// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Acgs.Contracts.Config;
using Acgs.Contracts.ControlPlane;
using Acgs.ControlPlane.Compiler;

namespace Acgs.ControlPlane.Distribution;

/// <summary>
/// The bytes of one snapshot's NDJSON line around the per-watcher nonce, built once per snapshot
/// (snapshots are immutable) and shared by every watcher of the service:
/// <c>{"type":"snapshot","version":"…","nonce":"</c> + nonce + <c>","snapshot":{…}}\n</c>.
/// </summary>
internal sealed partial class SerializedSnapshot
{
    private static readonly ConditionalWeakTable<ConfigSnapshot, SerializedSnapshot> Cache = [];

    private SerializedSnapshot(ConfigSnapshot snapshot, byte[]? json)
    {
        Version = snapshot.Version;
        using var head = new MemoryStream();
        using (var writer = new Utf8JsonWriter(head))
        {
            writer.WriteStartObject();
            writer.WriteString("type", WatchLines.SnapshotType);
            writer.WriteString("version", snapshot.Version);
            writer.WriteEndObject();
        }

        // Drop the closing brace and continue the object by hand: the nonce is 32 hex digits (no escaping).
        Prefix = [.. head.GetBuffer().AsSpan(0, (int)head.Length - 1), .. ",\"nonce\":\""u8];
        // The compiler's compact JSON when it has it (serialized while computing the version), else serialized here; not copied.
        Body = json ?? SnapshotEncoding.Serialize(snapshot);
    }

    /// <summary>The snapshot's version.</summary>
    public string Version { get; }

    /// <summary>Everything before the nonce.</summary>
    public byte[] Prefix { get; }

    /// <summary>The snapshot's compact JSON (written after the nonce, between <c>","snapshot":</c> and <c>}\n</c>).</summary>
    public byte[] Body { get; }

    /// <summary>The cached serialization of <paramref name="snapshot"/>.</summary>
    public static SerializedSnapshot Of(ConfigSnapshot snapshot) => Of(snapshot, json: null);

    /// <summary>The cached serialization of <paramref name="snapshot"/>; <paramref name="json"/>, when given, is its compact JSON (<see cref="SnapshotEncoding"/>).</summary>
    public static SerializedSnapshot Of(ConfigSnapshot snapshot, byte[]? json)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (Cache.TryGetValue(snapshot, out var cached))
        {
            return cached;
        }

        return Cache.GetValue(snapshot, s => new SerializedSnapshot(s, json));
    }

    /// <summary>Writes the line with <paramref name="nonce"/> (ASCII) into <paramref name="writer"/> without an intermediate copy.</summary>
    public void WriteLine(IBufferWriter<byte> writer, string nonce)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(nonce);
        writer.Write(Prefix);
        var span = writer.GetSpan(nonce.Length);
        var written = Encoding.ASCII.GetBytes(nonce, span);
        writer.Advance(written);
        writer.Write("\",\"snapshot\":"u8);
        writer.Write(Body);
        writer.Write("}\n"u8);
    }
}
