// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Acgs.ControlPlane.Audit;

/// <summary>Seals and verifies the audit hash chain (the one implementation both stores use).</summary>
internal static class AuditChain
{
    /// <summary>The <see cref="AuditEntry.PreviousHash"/> of the first entry.</summary>
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>Gives <paramref name="draft"/> its sequence number and links it to <paramref name="previousHash"/>.</summary>
    public static AuditEntry Seal(AuditDraft draft, long sequence, string previousHash)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var entry = new AuditEntry
        {
            Sequence = sequence,
            Timestamp = draft.Timestamp,
            Actor = draft.Actor,
            Action = draft.Action,
            PolicyId = draft.PolicyId,
            Version = draft.Version,
            Detail = draft.Detail,
            PreviousHash = previousHash,
        };
        return entry with { Hash = ComputeHash(entry) };
    }

    /// <summary>
    /// SHA-256 (lowercase hex) of the entry's canonical form: a JSON object with the fields in a fixed
    /// order, no whitespace, the timestamp as round-trip UTC ("O"); <see cref="AuditEntry.Hash"/> excluded.
    /// </summary>
    public static string ComputeHash(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("sequence", entry.Sequence);
            writer.WriteString("timestamp", entry.Timestamp.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            writer.WriteString("actor", entry.Actor);
            writer.WriteString("action", entry.Action);
            writer.WriteString("policy_id", entry.PolicyId);
            writer.WriteString("version", entry.Version);
            writer.WriteString("detail", entry.Detail);
            writer.WriteString("previous_hash", entry.PreviousHash);
            writer.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <summary>Checks every entry: sequence numbers 1, 2, 3…, each hash recomputed, each link to the previous hash.</summary>
    public static AuditVerification Verify(IReadOnlyList<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var previous = GenesisHash;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.Sequence != i + 1)
            {
                return new AuditVerification(false, entries.Count, entry.Sequence, $"expected sequence {i + 1}, found {entry.Sequence}");
            }

            if (!string.Equals(entry.PreviousHash, previous, StringComparison.Ordinal))
            {
                return new AuditVerification(false, entries.Count, entry.Sequence, "previous_hash does not match the hash of the entry before it");
            }

            if (!string.Equals(ComputeHash(entry), entry.Hash, StringComparison.Ordinal))
            {
                return new AuditVerification(false, entries.Count, entry.Sequence, "hash does not match the entry's content (the entry was altered)");
            }

            previous = entry.Hash;
        }

        return new AuditVerification(true, entries.Count, null, null);
    }
}
