// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text;
using System.Text.Json;
using Acgs.Contracts.BusWire;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// Reads the seed's JSON message (snake_case: message_id, conversation_id, from_agent, to_agent,
/// tenant_id, message_type, priority, constitutional_hash, created_at, expires_at, impact_score,
/// payload) into a wire envelope. Times are ISO 8601 strings or Unix milliseconds; priority is
/// 0–3 or LOW/NORMAL/HIGH/CRITICAL; payload is any JSON value, carried as its UTF-8 text.
/// </summary>
internal static class BusJsonMessage
{
    private static readonly string[] TypeNames =
    [
        "command", "query", "response", "event", "notification", "heartbeat", "governance_request",
        "governance_response", "constitutional_validation", "task_request", "task_response", "audit_log",
    ];

    private static readonly string[] PriorityNames = ["low", "normal", "high", "critical"];

    public static bool TryRead(byte[] json, string headerHash, TimeProvider time, out BusMessageEnvelope envelope, out byte[] payload, out BusJsonProblem problem)
    {
        envelope = default;
        payload = [];
        problem = default;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = new(BusErrorCode.MalformedFrame, "the body must be a JSON object");
                return false;
            }

            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var messageId = Text(root, "message_id") ?? Guid.NewGuid().ToString("D");
            var from = Text(root, "from_agent");
            var to = Text(root, "to_agent");
            if (string.IsNullOrEmpty(from) || string.IsNullOrEmpty(to) || messageId.Length == 0)
            {
                problem = new(BusErrorCode.MalformedFrame, "from_agent and to_agent are required");
                return false;
            }

            if (!TryType(root, out var type) || !TryPriority(root, out var priority) ||
                !TryTime(root, "created_at", now, out var created) || !TryTime(root, "expires_at", 0, out var expires) ||
                !TryImpact(root, out var impact))
            {
                problem = new(BusErrorCode.MalformedFrame, "message_type, priority, created_at, expires_at or impact_score is invalid");
                return false;
            }

            var hash = Text(root, "constitutional_hash") ?? (headerHash.Length > 0 ? headerHash : string.Empty);
            if (Encoding.UTF8.GetByteCount(hash) > BusWireConstants.MaxHashBytes)
            {
                problem = new(BusErrorCode.FieldTooLarge, "constitutional_hash is too long");
                return false;
            }

            envelope = new BusMessageEnvelope(messageId, from, to, Text(root, "tenant_id") ?? string.Empty, hash)
            {
                ConversationId = Text(root, "conversation_id") ?? string.Empty,
                MessageType = type,
                Priority = priority,
                CreatedAtUnixMs = created,
                ExpiresAtUnixMs = expires,
                ImpactScore = impact,
            };
            payload = root.TryGetProperty("payload", out var body) && body.ValueKind != JsonValueKind.Null
                ? Encoding.UTF8.GetBytes(body.GetRawText())
                : [];
            return true;
        }
        catch (JsonException ex)
        {
            problem = new(BusErrorCode.MalformedFrame, "invalid JSON: " + ex.Message);
            return false;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryType(JsonElement root, out WireMessageType type)
    {
        type = WireMessageType.Command;
        if (!root.TryGetProperty("message_type", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        var index = value.ValueKind == JsonValueKind.String
            ? Array.IndexOf(TypeNames, value.GetString()!.ToLowerInvariant())
            : -1;
        type = (WireMessageType)Math.Max(index, 0);
        return index >= 0;
    }

    private static bool TryPriority(JsonElement root, out WirePriority priority)
    {
        priority = WirePriority.Normal;
        if (!root.TryGetProperty("priority", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        var index = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var n) && n is >= 0 and <= 3 => n,
            JsonValueKind.String => Array.IndexOf(PriorityNames, value.GetString()!.ToLowerInvariant()),
            _ => -1,
        };
        priority = (WirePriority)Math.Max(index, 0);
        return index >= 0;
    }

    private static bool TryTime(JsonElement root, string name, long fallback, out long unixMs)
    {
        unixMs = fallback;
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out unixMs))
        {
            return unixMs >= 0;
        }

        if (value.ValueKind == JsonValueKind.String &&
            DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            unixMs = parsed.ToUnixTimeMilliseconds();
            return unixMs >= 0;
        }

        return false;
    }

    private static bool TryImpact(JsonElement root, out double impact)
    {
        impact = 0;
        if (!root.TryGetProperty("impact_score", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out impact) && impact is >= 0 and <= 1;
    }
}
