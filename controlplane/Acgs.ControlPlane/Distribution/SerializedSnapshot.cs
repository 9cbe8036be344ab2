// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Acgs.Contracts.Config;
using Acgs.Contracts.ControlPlane;

namespace Acgs.ControlPlane.Distribution;

/// <summary>
/// The bytes of one snapshot's NDJSON line around the per-watcher nonce, built once per snapshot
/// (snapshots are immutable) and shared by every watcher of the service:
/// <c>{"type":"snapshot","version":"…","nonce":"</c> + nonce + <c>","snapshot":{…}}\n</c>.
/// </summary>
internal sealed class SerializedSnapshot
{
    private static readonly ConditionalWeakTable<ConfigSnapshot, SerializedSnapshot> Cache = [];

    private SerializedSnapshot(ConfigSnapshot snapshot)
    {
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
        // The source-generated context writes indented JSON; a line must be compact, so write through our own writer.
        using var body = new MemoryStream();
        using (var writer = new Utf8JsonWriter(body, new JsonWriterOptions { Indented = false, Encoder = ConfigSnapshotJsonContext.Default.Options.Encoder }))
        {
            JsonSerializer.Serialize(writer, snapshot, ConfigSnapshotJsonContext.Default.ConfigSnapshot);
        }

        Suffix = [.. "\",\"snapshot\":"u8, .. body.GetBuffer().AsSpan(0, (int)body.Length), .. "}\n"u8];
    }

    /// <summary>Everything before the nonce.</summary>
    public byte[] Prefix { get; }

    /// <summary>Everything after the nonce, including the snapshot JSON and the newline.</summary>
    public byte[] Suffix { get; }

    /// <summary>The cached serialization of <paramref name="snapshot"/>.</summary>
    public static SerializedSnapshot Of(ConfigSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Cache.GetValue(snapshot, static s => new SerializedSnapshot(s));
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
        writer.Write(Suffix);
    }
}
