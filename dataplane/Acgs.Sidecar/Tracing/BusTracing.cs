// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Text;
using Acgs.Contracts.BusWire;
using Acgs.Sidecar.Bus;

namespace Acgs.Sidecar.Tracing;

/// <summary>
/// Spans of bus messages that carry trace context: a producer span per message and sidecar (<c>bus.deliver</c> to a
/// local agent, <c>bus.forward</c> to another sidecar or the offline store), child of the message's traceparent, ended
/// when the message's fate is known (ack, stored, error). The message's traceparent is rewritten in place to the span's
/// id, so the next hop is its child. Whether a message is sampled here is the HTTP listeners' decision for a request
/// with a traceparent (<see cref="TraceDecision.WithParent"/>: the parent-based samplers follow the message's sampled
/// flag, the others decide by themselves, the ratio on the trace id). Nothing happens for a message without trace
/// context, while tracing is off (no listener) or when the decision is "not sampled" (the traceparent is passed on
/// unchanged).
/// </summary>
internal static class BusTracing
{
    public const string Deliver = "bus.deliver";
    public const string Forward = "bus.forward";
    public const string MessagingSystem = "messaging.system";
    public const string System = "acgs-bus";
    public const string OperationType = "messaging.operation.type";
    public const string OperationName = "messaging.operation.name";
    public const string Destination = "messaging.destination.name";
    public const string MessageId = "messaging.message.id";
    public const string ConversationId = "messaging.message.conversation_id";
    public const string BodySize = "messaging.message.body.size";
    public const string FromAgent = "acgs.agent.from";
    public const string ToAgent = "acgs.agent.to";
    public const string Tenant = "acgs.tenant";
    public const string Outcome = "acgs.bus.outcome";
    private const int TraceIdAt = 3;
    private const int ParentIdAt = 36;
    private const int FlagsAt = 53;

    /// <summary>Starts the span of an admitted message carrying trace context when <paramref name="decision"/> samples it (call before it is routed).</summary>
    public static void Start(RoutedMessage message, bool local, TraceDecision decision)
    {
        var ranges = message.Ranges;
        if (!ranges.HasTraceContext || !MeshTracing.Source.HasListeners())
        {
            return;
        }

        var traceParent = message.Buffer.AsSpan(BusWireConstants.HeaderSize + ranges.TraceParentOffset, BusWireConstants.TraceParentBytes);
        var parentSampled = (Hex(traceParent[FlagsAt + 1]) & 1) == 1;
        if (!decision.WithParent(parentSampled, Head(traceParent)))
        {
            return; // not sampled here: no span, the trace context goes on as it came
        }

        var state = ranges.TraceStateLength == 0 ? null : Encoding.ASCII.GetString(message.Buffer, BusWireConstants.HeaderSize + ranges.TraceStateOffset, ranges.TraceStateLength);
        var parent = new ActivityContext(
            ActivityTraceId.CreateFromUtf8String(traceParent.Slice(TraceIdAt, 32)),
            ActivitySpanId.CreateFromUtf8String(traceParent.Slice(ParentIdAt, 16)),
            parentSampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None,
            state,
            isRemote: true);
        var previous = Activity.Current;
        var span = MeshTracing.Source.StartActivity(local ? Deliver : Forward, ActivityKind.Producer, parent);
        Activity.Current = previous;
        if (span is null)
        {
            return;
        }

        message.Activity = span;
        WriteSpanId(span, traceParent);
        if (span.IsAllDataRequested)
        {
            Tag(span, message, local);
        }
    }

    /// <summary>Ends the span of <paramref name="message"/> with its outcome (an ack, <c>stored</c>, or an error code's name).</summary>
    public static void Finish(RoutedMessage message, BusFrameFlagBits ackFlags, BusErrorCode code)
    {
        if (message.Activity is not { } span)
        {
            return;
        }

        message.Activity = null;
        if (span.IsAllDataRequested)
        {
            if (code != BusErrorCode.None)
            {
                var name = code.ToWireName();
                span.SetTag(Outcome, name);
                span.SetTag(TraceAttributes.ErrorType, name);
                span.SetStatus(ActivityStatusCode.Error);
            }
            else
            {
                span.SetTag(Outcome, (ackFlags & BusFrameFlagBits.Stored) != 0 ? "stored" : "acked");
            }
        }

        var previous = Activity.Current;
        span.Stop();
        Activity.Current = previous;
    }

    /// <summary>Ends the span of a message released without an answer (its connection or the sidecar closed).</summary>
    public static void End(RoutedMessage message)
    {
        if (message.Activity is { } span)
        {
            message.Activity = null;
            var previous = Activity.Current;
            span.Stop();
            Activity.Current = previous;
        }
    }

    private static void Tag(Activity span, RoutedMessage message, bool local)
    {
        var ranges = message.Ranges;
        var body = message.Buffer.AsSpan(BusWireConstants.HeaderSize);
        var to = Encoding.UTF8.GetString(body.Slice(ranges.ToAgentOffset, ranges.ToAgentLength));
        span.SetTag(MessagingSystem, System);
        span.SetTag(OperationType, "send");
        span.SetTag(OperationName, local ? "deliver" : "forward");
        span.SetTag(Destination, to);
        span.SetTag(MessageId, Encoding.UTF8.GetString(body.Slice(ranges.MessageIdOffset, ranges.MessageIdLength)));
        if (ranges.ConversationIdLength > 0)
        {
            span.SetTag(ConversationId, Encoding.UTF8.GetString(body.Slice(ranges.ConversationIdOffset, ranges.ConversationIdLength)));
        }

        span.SetTag(BodySize, ranges.PayloadLength);
        span.SetTag(FromAgent, Encoding.UTF8.GetString(body.Slice(ranges.FromAgentOffset, ranges.FromAgentLength)));
        span.SetTag(ToAgent, to);
        span.SetTag(Tenant, Encoding.UTF8.GetString(body.Slice(ranges.TenantIdOffset, ranges.TenantIdLength)));
    }

    /// <summary>The next hop is the child of <paramref name="span"/>: its id (and its sampled flag) into the traceparent.</summary>
    private static void WriteSpanId(Activity span, Span<byte> traceParent)
    {
        Span<byte> id = stackalloc byte[8];
        span.SpanId.CopyTo(id);
        for (var i = 0; i < id.Length; i++)
        {
            traceParent[ParentIdAt + (2 * i)] = Digit(id[i] >> 4);
            traceParent[ParentIdAt + (2 * i) + 1] = Digit(id[i] & 0xF);
        }

        var low = Hex(traceParent[FlagsAt + 1]);
        low = span.Recorded ? low | 1 : low & ~1;
        traceParent[FlagsAt + 1] = Digit(low);
    }

    /// <summary>The first 8 bytes of the trace id as a big-endian number, as <see cref="TraceParent.TryRead"/> reads a header's (the ratio sampler's input; the parser let only lower-case hex through).</summary>
    private static long Head(ReadOnlySpan<byte> traceParent)
    {
        ulong head = 0;
        foreach (var c in traceParent.Slice(TraceIdAt, 16))
        {
            head = (head << 4) | (uint)Hex(c);
        }

        return unchecked((long)head);
    }

    private static int Hex(byte c) => c <= '9' ? c - '0' : c - 'a' + 10;

    private static byte Digit(int value) => (byte)(value < 10 ? '0' + value : 'a' + value - 10);
}
