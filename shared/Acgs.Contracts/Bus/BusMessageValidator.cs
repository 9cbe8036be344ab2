// Constitutional Hash: cdd01ef066bc6cf2

using System.Runtime.InteropServices;
using System.Text.Json;
using Acgs.Contracts.BusWire;
using Acgs.Contracts.Validation;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.Contracts.Bus;

/// <summary>
/// Validates a <see cref="BusMessage"/> and reports every problem at once: required ids and their sizes, an
/// accepted constitutional hash (never echoed), creation and expiry times, impact score, enum values and payload
/// size. The limits equal the frame protocol's, so every valid message fits one frame.
/// </summary>
public sealed class BusMessageValidator
{
    /// <summary>Longest message or conversation id, in UTF-8 bytes.</summary>
    public const int MaxIdLength = BusWireConstants.MaxIdBytes;

    /// <summary>Longest agent id, in UTF-8 bytes.</summary>
    public const int MaxAgentIdLength = BusWireConstants.MaxIdBytes;

    /// <summary>Longest tenant id, in UTF-8 bytes.</summary>
    public const int MaxTenantIdLength = BusWireConstants.MaxIdBytes;

    /// <summary>Largest payload in UTF-8 bytes of its JSON text (1 MiB frame minus the largest envelope).</summary>
    public const int MaxPayloadBytes = BusWireConstants.MaxPayloadBytes;

    private readonly ConstitutionalHashValidator _hashes;

    /// <summary>A validator accepting the hashes in <paramref name="accepted"/>.</summary>
    public BusMessageValidator(ConstitutionalHashSet accepted)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        _hashes = new ConstitutionalHashValidator(accepted);
    }

    /// <summary>A validator accepting only the default hash.</summary>
    public static BusMessageValidator Default { get; } = new(ConstitutionalHashSet.Default);

    /// <summary>Every problem with <paramref name="message"/>; valid when empty.</summary>
    public ValidationResult Validate(BusMessage? message)
    {
        var errors = new ValidationBuilder();
        if (message is null)
        {
            return errors.Add(string.Empty, "a message is required").Build();
        }

        errors.Identifier(message.MessageId, "message_id", MaxIdLength);
        errors.Identifier(message.ConversationId, "conversation_id", MaxIdLength);
        errors.Identifier(message.FromAgent, "from_agent", MaxAgentIdLength);
        errors.Identifier(message.ToAgent, "to_agent", MaxAgentIdLength);
        errors.Identifier(message.TenantId, "tenant_id", MaxTenantIdLength);
        if (!Enum.IsDefined(message.MessageType))
        {
            errors.Add("message_type", "is not a known message type");
        }

        if (!Enum.IsDefined(message.Priority))
        {
            errors.Add("priority", "must be 0 (LOW) to 3 (CRITICAL)");
        }

        errors.ConstitutionalHash(message.ConstitutionalHash, _hashes, "constitutional_hash");
        var created = message.CreatedAt != default;
        if (!created)
        {
            errors.Add("created_at", "is required");
        }

        if (created && message.ExpiresAt is { } expires && expires <= message.CreatedAt)
        {
            errors.Add("expires_at", "must be after created_at");
        }

        if (message.ImpactScore is { } impact)
        {
            errors.Range(impact, 0, 1, "impact_score");
        }

        if (message.Payload is { ValueKind: not JsonValueKind.Undefined } payload)
        {
            var bytes = JsonMarshal.GetRawUtf8Value(payload).Length;
            if (bytes > MaxPayloadBytes)
            {
                errors.Add("payload", $"must be at most {MaxPayloadBytes} bytes of JSON, got {bytes}");
            }
        }

        return errors.Build();
    }
}
