// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Acgs.Contracts.Bus;
using Acgs.Contracts.BusWire;
using Acgs.Contracts.Validation;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// Reads the seed's JSON message (snake_case: message_id, conversation_id, from_agent, to_agent,
/// tenant_id, message_type, priority, constitutional_hash, created_at, expires_at, impact_score,
/// payload) into a wire envelope and validates it with the shared <see cref="BusMessageValidator"/>,
/// reporting every problem at once (format problems of the JSON itself and the validator's).
/// Times are ISO 8601 strings or Unix milliseconds; priority is 0–3 or LOW/NORMAL/HIGH/CRITICAL;
/// payload is any JSON value, carried as its UTF-8 text. Absent message_id and conversation_id get a
/// new GUID, an absent created_at the current time. Not the hot path (tools and tests): this allocates.
/// </summary>
internal static class BusJsonMessage
{
    private const string HashPath = "constitutional_hash";
    private const string PayloadPath = "payload";

    private static readonly string[] TypeNames =
    [
        "command", "query", "response", "event", "notification", "heartbeat", "governance_request",
        "governance_response", "constitutional_validation", "task_request", "task_response", "audit_log",
    ];

    private static readonly string[] PriorityNames = ["low", "normal", "high", "critical"];

    public static bool TryRead(byte[] json, string headerHash, BusHttpSender? sender, TimeProvider time, BusMessageValidator validator, out BusMessageEnvelope envelope, out byte[] payload, out BusJsonProblem problem)
    {
        envelope = default;
        payload = [];
        problem = default;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            problem = Single(BusErrorCode.MalformedFrame, string.Empty, "invalid JSON: " + ex.Message);
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = Single(BusErrorCode.MalformedFrame, string.Empty, "the body must be a JSON object");
                return false;
            }

            var errors = new ValidationBuilder();
            var now = time.GetUtcNow();
            var type = ReadType(root, errors);
            var message = new BusMessage
            {
                MessageId = Text(root, "message_id", errors) ?? Guid.NewGuid().ToString("D"),
                ConversationId = Text(root, "conversation_id", errors) ?? Guid.NewGuid().ToString("D"),
                FromAgent = Text(root, "from_agent", errors) ?? sender?.AgentId ?? string.Empty,
                ToAgent = Text(root, "to_agent", errors) ?? string.Empty,
                TenantId = Text(root, "tenant_id", errors) ?? sender?.TenantId ?? string.Empty,
                MessageType = (MessageType)type,
                Priority = ReadPriority(root, errors),
                ConstitutionalHash = Text(root, HashPath, errors) ?? headerHash,
                CreatedAt = ReadTime(root, "created_at", errors) ?? now,
                ExpiresAt = ReadTime(root, "expires_at", errors),
                ImpactScore = ReadImpact(root, errors),
                Payload = root.TryGetProperty(PayloadPath, out var body) && body.ValueKind != JsonValueKind.Null ? body : null,
            };
            errors.AddRange(validator.Validate(message));
            if (errors.HasErrors)
            {
                var result = errors.Build();
                problem = new BusJsonProblem(CodeFor(result, message), result.ToString(), result.Errors, type);
                return false;
            }

            envelope = new BusMessageEnvelope(message.MessageId, message.FromAgent, message.ToAgent, message.TenantId, message.ConstitutionalHash!)
            {
                ConversationId = message.ConversationId,
                MessageType = (WireMessageType)type,
                Priority = (WirePriority)message.Priority,
                CreatedAtUnixMs = message.CreatedAt.ToUnixTimeMilliseconds(),
                ExpiresAtUnixMs = message.ExpiresAt is { } expires ? Math.Max(1, expires.ToUnixTimeMilliseconds()) : 0,
                ImpactScore = message.ImpactScore ?? 0,
            };
            payload = message.Payload is { } value ? JsonMarshal.GetRawUtf8Value(value).ToArray() : [];
            return true;
        }
    }

    /// <summary>
    /// The code deciding the status, most specific first: a hash problem (403 hash_missing / hash_mismatch),
    /// a payload over the frame limit (413 frame_too_large), an id over its limit (400 field_too_large),
    /// anything else (400 malformed_frame). The problem document lists every error either way.
    /// </summary>
    private static BusErrorCode CodeFor(ValidationResult result, BusMessage message)
    {
        var code = BusErrorCode.MalformedFrame;
        foreach (var error in result.Errors)
        {
            if (error.Path == HashPath)
            {
                return string.IsNullOrEmpty(message.ConstitutionalHash) ? BusErrorCode.HashMissing : BusErrorCode.HashMismatch;
            }

            if (error.Path == PayloadPath)
            {
                code = BusErrorCode.FrameTooLarge;
            }
            else if (code == BusErrorCode.MalformedFrame && error.Message.Contains("UTF-8 bytes", StringComparison.Ordinal))
            {
                code = BusErrorCode.FieldTooLarge;
            }
        }

        return code;
    }

    private static BusJsonProblem Single(BusErrorCode code, string path, string message) =>
        new(code, message, [new ValidationError(path, message)], BusMetrics.UnparsedType);

    private static string? Text(JsonElement root, string name, ValidationBuilder errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(name, "must be a string");
            return null;
        }

        return value.GetString();
    }

    private static int ReadType(JsonElement root, ValidationBuilder errors)
    {
        if (!root.TryGetProperty("message_type", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return (int)WireMessageType.Command;
        }

        var index = value.ValueKind == JsonValueKind.String
            ? Array.IndexOf(TypeNames, value.GetString()!.ToLowerInvariant())
            : -1;
        if (index < 0)
        {
            errors.Add("message_type", "must be one of " + string.Join(", ", TypeNames));
            return BusMetrics.UnparsedType;
        }

        return index;
    }

    private static MessagePriority ReadPriority(JsonElement root, ValidationBuilder errors)
    {
        if (!root.TryGetProperty("priority", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return MessagePriority.Normal;
        }

        var index = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var n) && n is >= 0 and <= 3 => n,
            JsonValueKind.String => Array.IndexOf(PriorityNames, value.GetString()!.ToLowerInvariant()),
            _ => -1,
        };
        if (index < 0)
        {
            errors.Add("priority", "must be 0 (LOW) to 3 (CRITICAL) or LOW, NORMAL, HIGH, CRITICAL");
            return MessagePriority.Normal;
        }

        return (MessagePriority)index;
    }

    private static DateTimeOffset? ReadTime(JsonElement root, string name, ValidationBuilder errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var unixMs) && unixMs is > 0 and <= 253_402_300_799_999)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
        }

        if (value.ValueKind == JsonValueKind.String &&
            DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) &&
            parsed.ToUnixTimeMilliseconds() > 0)
        {
            return parsed;
        }

        errors.Add(name, "must be an ISO 8601 time or positive Unix milliseconds");
        return null;
    }

    private static double? ReadImpact(JsonElement root, ValidationBuilder errors)
    {
        if (!root.TryGetProperty("impact_score", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var impact))
        {
            return impact;
        }

        errors.Add("impact_score", "must be a number between 0 and 1");
        return null;
    }
}
