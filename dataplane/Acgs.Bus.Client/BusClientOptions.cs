// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core;

namespace Acgs.Bus.Client;

/// <summary>How a <see cref="BusClient"/> registers and receives.</summary>
/// <param name="AgentId">The agent id to register (1..128 UTF-8 bytes).</param>
public sealed record BusClientOptions(string AgentId)
{
    /// <summary>The agent's tenant (every message it sends or receives must carry it).</summary>
    public string TenantId { get; init; } = string.Empty;

    /// <summary>The constitutional hash presented at registration and stamped on messages built by <see cref="BusClient.CreateEnvelope"/>.</summary>
    public string ConstitutionalHash { get; init; } = AcgsConstants.ConstitutionalHash;

    /// <summary>
    /// Called on the receive loop for each delivered message (the view is valid only during the call).
    /// When null, deliveries are queued for <see cref="BusClient.ReadDeliveriesAsync"/>.
    /// </summary>
    public BusDeliveryHandler? OnDelivery { get; init; }

    /// <summary>Ack each delivery once <see cref="OnDelivery"/> returns (or once it is queued). Default true.</summary>
    public bool AutoAck { get; init; } = true;

    /// <summary>
    /// Opt-in ack coalescing: with a positive value, the receive loop holds the automatic acks of delivered
    /// messages and writes them at most once per this delay (by the first read batch after it has passed), or
    /// as soon as <see cref="AckMaxPending"/> are held; when traffic stops, a background thread shared by all
    /// coalescing clients of the process writes them once due (millisecond resolution; while read batches keep
    /// writing them in time it looks less often, at most 8 delays apart, so acks held when a steady stream
    /// stops can wait up to about 8 delays). Any other write on the connection carries them earlier, and
    /// disposal writes them. Acks keep their order and are ordinary ack frames. Default zero: each read
    /// batch's acks are written at its end (lowest ack latency, one consumer → sidecar → producer wake-up per
    /// read batch). Not the default because a sender that awaits each <see cref="BusClient.SendAsync"/> before
    /// the next would wait up to this delay per message.
    /// </summary>
    public TimeSpan AckDelay { get; init; }

    /// <summary>With <see cref="AckDelay"/> set: the number of held acks that are written at once. Default 256.</summary>
    public int AckMaxPending { get; init; } = 256;

    /// <summary>
    /// Take part in W3C trace context (default true): the client asks for it on register and, when the sidecar accepts,
    /// sends <c>Activity.Current</c>'s traceparent/tracestate with each message (when there is a current activity) and
    /// receives the trace context of delivered messages (<see cref="BusDelivery.TraceParent"/>). False registers as a
    /// client without trace context: deliveries never carry it.
    /// </summary>
    public bool TraceContext { get; init; } = true;

    /// <summary>Called for acks and errors of messages sent with <see cref="BusClient.Post(in Acgs.Contracts.BusWire.BusMessageEnvelope, ReadOnlySpan{byte})"/>.</summary>
    public BusReplyHandler? OnReply { get; init; }
}
