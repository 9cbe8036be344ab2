// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.BusWire;

/// <summary>The envelope of a message to encode (everything except the payload).</summary>
/// <param name="MessageId">message_id: unique per sender, 1..128 UTF-8 bytes.</param>
/// <param name="FromAgent">from_agent: the sending agent (must be the registered agent).</param>
/// <param name="ToAgent">to_agent: the recipient.</param>
/// <param name="TenantId">tenant_id: must match both agents' registrations.</param>
/// <param name="ConstitutionalHash">constitutional_hash.</param>
public readonly record struct BusMessageEnvelope(string MessageId, string FromAgent, string ToAgent, string TenantId, string ConstitutionalHash)
{
    /// <summary>conversation_id (optional).</summary>
    public string ConversationId { get; init; } = string.Empty;

    /// <summary>message_type (default command).</summary>
    public WireMessageType MessageType { get; init; } = WireMessageType.Command;

    /// <summary>priority (default NORMAL).</summary>
    public WirePriority Priority { get; init; } = WirePriority.Normal;

    /// <summary>created_at, Unix milliseconds.</summary>
    public long CreatedAtUnixMs { get; init; }

    /// <summary>expires_at, Unix milliseconds; 0 = never.</summary>
    public long ExpiresAtUnixMs { get; init; }

    /// <summary>impact_score in [0, 1].</summary>
    public double ImpactScore { get; init; }
}
