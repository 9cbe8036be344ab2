// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Acgs.Contracts.Config;

namespace Acgs.ControlPlane.Compiler;

/// <summary>
/// The compact JSON of a snapshot, and its version from the same bytes: the snapshot is serialized once with an empty
/// version, hashed, and the version is written into the empty <c>"version":""</c> (the second property, after the
/// constitutional hash, whose escaped value cannot contain that text), so compiling and distributing need one serialization.
/// </summary>
internal static class SnapshotEncoding
{
    private static readonly byte[] EmptyVersion = "\"version\":\"\""u8.ToArray();

    /// <summary>The compact JSON of <paramref name="snapshot"/>, as written on a watch stream.</summary>
    public static byte[] Serialize(ConfigSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        Write(buffer, snapshot);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>&lt;revision&gt;-&lt;first 12 hex of SHA-256 of the compact JSON with an empty version&gt;</c> and the JSON carrying that version.</summary>
    public static (string Version, byte[] Json) Encode(ConfigSnapshot snapshot, long revision)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        Write(buffer, snapshot with { Version = string.Empty });
        var unversioned = buffer.WrittenSpan;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(unversioned, hash);
        var version = string.Create(CultureInfo.InvariantCulture, $"{revision}-{Convert.ToHexStringLower(hash[..6])}");
        var at = unversioned.IndexOf(EmptyVersion);
        if (at < 0)
        {
            return (version, Serialize(snapshot with { Version = version })); // not reached: the property is always written
        }

        var split = at + EmptyVersion.Length - 1; // before the closing quote
        var encoded = Encoding.ASCII.GetByteCount(version);
        var json = new byte[unversioned.Length + encoded];
        unversioned[..split].CopyTo(json);
        Encoding.ASCII.GetBytes(version, json.AsSpan(split));
        unversioned[split..].CopyTo(json.AsSpan(split + encoded));
        return (version, json);
    }

    private static void Write(IBufferWriter<byte> buffer, ConfigSnapshot snapshot)
    {
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = ConfigSnapshotJsonContext.Default.Options.Encoder });
        JsonSerializer.Serialize(writer, snapshot, ConfigSnapshotJsonContext.Default.ConfigSnapshot);
    }
}
