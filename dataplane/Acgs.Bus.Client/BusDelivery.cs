// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Text;
using Acgs.Contracts.BusWire;

namespace Acgs.Bus.Client;

/// <summary>A delivered message copied out of the receive buffer (for <see cref="BusClient.ReadDeliveriesAsync"/>).</summary>
public sealed record BusDelivery
{
    /// <summary>The envelope.</summary>
    public required BusMessageEnvelope Envelope { get; init; }

    /// <summary>The payload bytes.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>Replayed from the offline store (it may have been delivered before).</summary>
    public bool Redelivered { get; init; }

    /// <summary>The W3C traceparent the message carried (null without trace context): the sender's span, or the sidecar's.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The W3C tracestate the message carried (null without trace context).</summary>
    public string? TraceState { get; init; }

    /// <summary>The trace context to continue (the parent of a span processing this message); default without one.</summary>
    public ActivityContext ParentContext =>
        TraceParent is not null && ActivityContext.TryParse(TraceParent, TraceState, isRemote: true, out var context) ? context : default;

    /// <summary>Copies <paramref name="view"/>.</summary>
    public static BusDelivery From(in BusMessageView view, BusFrameFlagBits flags) => new()
    {
        Envelope = new BusMessageEnvelope(
            Encoding.UTF8.GetString(view.MessageId),
            Encoding.UTF8.GetString(view.FromAgent),
            Encoding.UTF8.GetString(view.ToAgent),
            Encoding.UTF8.GetString(view.TenantId),
            Encoding.UTF8.GetString(view.ConstitutionalHash))
        {
            ConversationId = Encoding.UTF8.GetString(view.ConversationId),
            MessageType = view.MessageType,
            Priority = view.Priority,
            CreatedAtUnixMs = view.CreatedAtUnixMs,
            ExpiresAtUnixMs = view.ExpiresAtUnixMs,
            ImpactScore = view.ImpactScore,
        },
        Payload = view.Payload.ToArray(),
        Redelivered = (flags & BusFrameFlagBits.Redelivery) != 0,
        TraceParent = view.HasTraceContext ? Encoding.ASCII.GetString(view.TraceParent) : null,
        TraceState = view.HasTraceContext ? Encoding.ASCII.GetString(view.TraceState) : null,
    };
}
