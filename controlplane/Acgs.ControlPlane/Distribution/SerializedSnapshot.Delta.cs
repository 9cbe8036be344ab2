// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Text;
using System.Text.Json;
using Acgs.Contracts.ControlPlane;

namespace Acgs.ControlPlane.Distribution;

/// <summary>
/// Delta lines: <c>{"type":"delta","version":"…","base":"…","nonce":"</c> + nonce + <c>","patch":{…}}\n</c>, the JSON Merge
/// Patch from the service's previous snapshot to this one. Only the previous snapshot is a base (each snapshot keeps a
/// reference to its predecessor and drops the predecessor's own), so at most one old snapshot per service stays in memory;
/// a sidecar that ACKed an older one gets the full line. The patch is computed once, by the first stream that needs it,
/// while the others of the service await it.
/// </summary>
internal sealed partial class SerializedSnapshot
{
    /// <summary>A patch is sent only when it is at most this share of the full snapshot; else the full line is cheaper to apply.</summary>
    private const double MaxPatchShare = 0.5;

    private SerializedSnapshot? _previous;
    private Task<DeltaLine?>? _delta;

    /// <summary>Makes <paramref name="previous"/> (the snapshot this one replaces for its service) the base of this one's delta.</summary>
    public void Follows(SerializedSnapshot previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        if (!ReferenceEquals(previous, this))
        {
            previous._previous = null;
            _previous = previous;
        }
    }

    /// <summary>The delta line from <paramref name="baseVersion"/>, or null when that is not the previous snapshot or the patch is too large.</summary>
    public Task<DeltaLine?>? DeltaFrom(string? baseVersion)
    {
        if (Volatile.Read(ref _previous) is not { } previous || !string.Equals(previous.Version, baseVersion, StringComparison.Ordinal))
        {
            return null;
        }

        if (Volatile.Read(ref _delta) is { } existing)
        {
            return existing;
        }

        var mine = new TaskCompletionSource<DeltaLine?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _delta, mine.Task, null) is { } other)
        {
            return other;
        }

        try
        {
            mine.SetResult(DeltaLine.Create(previous, this));
        }
        catch (JsonException)
        {
            mine.SetResult(null);
        }

        return mine.Task;
    }

    /// <summary>Writes <paramref name="delta"/> with <paramref name="nonce"/> (ASCII) into <paramref name="writer"/>.</summary>
    public static void WriteDelta(IBufferWriter<byte> writer, DeltaLine delta, string nonce)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(delta);
        ArgumentNullException.ThrowIfNull(nonce);
        writer.Write(delta.Prefix);
        var span = writer.GetSpan(nonce.Length);
        writer.Advance(Encoding.ASCII.GetBytes(nonce, span));
        writer.Write("\",\"patch\":"u8);
        writer.Write(delta.Patch);
        writer.Write("}\n"u8);
    }

    /// <summary>The bytes of a delta line around the nonce.</summary>
    internal sealed record DeltaLine(byte[] Prefix, byte[] Patch)
    {
        public static DeltaLine? Create(SerializedSnapshot from, SerializedSnapshot to)
        {
            var buffer = new ArrayBufferWriter<byte>(Math.Max(256, to.Body.Length / 8));
            JsonMergePatch.Create(from.Body, to.Body, buffer);
            if (buffer.WrittenCount > to.Body.Length * MaxPatchShare)
            {
                return null;
            }

            using var head = new MemoryStream();
            using (var writer = new Utf8JsonWriter(head))
            {
                writer.WriteStartObject();
                writer.WriteString("type", WatchLines.DeltaType);
                writer.WriteString("version", to.Version);
                writer.WriteString("base", from.Version);
                writer.WriteEndObject();
            }

            return new DeltaLine([.. head.GetBuffer().AsSpan(0, (int)head.Length - 1), .. ",\"nonce\":\""u8], buffer.WrittenSpan.ToArray());
        }
    }
}
