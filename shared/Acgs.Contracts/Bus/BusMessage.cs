// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using System.Text.Json.Serialization;
using Acgs.Core;

namespace Acgs.Contracts.Bus;

/// <summary>
/// An agent message with the seed's model and field names (docs/bus-protocol.md), as the bus HTTP API and the
/// .NET client see it. The binary frame protocol carries the same fields. Unknown JSON fields are ignored.
/// </summary>
/// <param name="MessageId">Unique message id (JSON <c>message_id</c>).</param>
/// <param name="ConversationId">Conversation the message belongs to (JSON <c>conversation_id</c>).</param>
/// <param name="FromAgent">Sending agent (JSON <c>from_agent</c>).</param>
/// <param name="ToAgent">Receiving agent (JSON <c>to_agent</c>).</param>
/// <param name="TenantId">Tenant of both agents (JSON <c>tenant_id</c>).</param>
/// <param name="MessageType">Message type (JSON <c>message_type</c>, snake_case). Default command.</param>
/// <param name="Priority">Priority (JSON <c>priority</c>, 0–3). Default NORMAL.</param>
/// <param name="ConstitutionalHash">The constitutional hash (JSON <c>constitutional_hash</c>); a message without an accepted one is never delivered.</param>
/// <param name="CreatedAt">Creation time (JSON <c>created_at</c>, ISO 8601).</param>
/// <param name="ExpiresAt">Expiry (JSON <c>expires_at</c>); <see langword="null"/> never expires.</param>
/// <param name="ImpactScore">Impact score 0–1 (JSON <c>impact_score</c>), or <see langword="null"/>.</param>
/// <param name="Payload">Any JSON value (JSON <c>payload</c>), or <see langword="null"/>.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
public sealed record BusMessage(
    string MessageId = "",
    string ConversationId = "",
    string FromAgent = "",
    string ToAgent = "",
    string TenantId = "",
    MessageType MessageType = MessageType.Command,
    MessagePriority Priority = MessagePriority.Normal,
    string? ConstitutionalHash = null,
    DateTimeOffset CreatedAt = default,
    DateTimeOffset? ExpiresAt = null,
    double? ImpactScore = null,
    JsonElement? Payload = null)
{
    /// <summary>True when the message has expired at <paramref name="now"/> (expired messages are not delivered).</summary>
    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt is { } expires && expires <= now;

    /// <summary>A new message with fresh message and conversation ids, created now, carrying the default hash.</summary>
    public static BusMessage Create(string fromAgent, string toAgent, string tenantId, MessageType messageType, TimeProvider timeProvider, JsonElement? payload = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return new BusMessage
        {
            MessageId = Guid.NewGuid().ToString("D"),
            ConversationId = Guid.NewGuid().ToString("D"),
            FromAgent = fromAgent,
            ToAgent = toAgent,
            TenantId = tenantId,
            MessageType = messageType,
            ConstitutionalHash = AcgsConstants.ConstitutionalHash,
            CreatedAt = timeProvider.GetUtcNow(),
            Payload = payload,
        };
    }
}
