// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.BusWire;
using Prometheus;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// The bus's Prometheus metrics (default registry). Every labelled child is created once here, so
/// counting on the hot path is an array index and an interlocked add.
/// </summary>
internal sealed class BusMetrics
{
    /// <summary>Label value of the type of a frame that could not be parsed.</summary>
    public const int UnparsedType = 12;

    private const int ResultDelivered = 0;
    private const int ResultStored = 1;
    private const int ResultForwarded = 2;
    private const int ResultErrorBase = 3;
    private const int ErrorCodes = 17;

    private static readonly string[] TypeNames =
    [
        "command", "query", "response", "event", "notification", "heartbeat", "governance_request",
        "governance_response", "constitutional_validation", "task_request", "task_response", "audit_log", "unparsed",
    ];

    private static readonly Counter Messages = Metrics.CreateCounter(
        "acgs_bus_messages_total",
        "Bus messages by seed message type and outcome (delivered, stored, forwarded or the error code).",
        new CounterConfiguration { LabelNames = ["type", "result"] });

    private static readonly Histogram Latency = Metrics.CreateHistogram(
        "acgs_bus_sidecar_latency_seconds",
        "Time a message spends in this sidecar: frame read until written to the recipient's connection.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.000_01, 2, 16) });

    private static readonly Gauge QueueDepth = Metrics.CreateGauge(
        "acgs_bus_queue_depth",
        "Messages queued for connected agents and peer links, by priority.",
        new GaugeConfiguration { LabelNames = ["priority"] });

    private static readonly Gauge StoredMessages = Metrics.CreateGauge(
        "acgs_bus_stored_messages",
        "Messages this sidecar holds in the offline store (Redis streams) awaiting their agent's ack.");

    private static readonly Gauge ConnectedAgents = Metrics.CreateGauge(
        "acgs_bus_connected_agents",
        "Agents registered on this sidecar's bus.");

    private readonly Counter.Child[] _messages;
    private readonly Gauge.Child[] _depth;

    public BusMetrics()
    {
        _messages = new Counter.Child[TypeNames.Length * (ResultErrorBase + ErrorCodes)];
        for (var t = 0; t < TypeNames.Length; t++)
        {
            _messages[Index(t, ResultDelivered)] = Messages.WithLabels(TypeNames[t], "delivered");
            _messages[Index(t, ResultStored)] = Messages.WithLabels(TypeNames[t], "stored");
            _messages[Index(t, ResultForwarded)] = Messages.WithLabels(TypeNames[t], "forwarded");
            for (var c = 1; c < ErrorCodes; c++)
            {
                _messages[Index(t, ResultErrorBase + c)] = Messages.WithLabels(TypeNames[t], ((BusErrorCode)c).ToWireName());
            }
        }

        _depth = [QueueDepth.WithLabels("low"), QueueDepth.WithLabels("normal"), QueueDepth.WithLabels("high"), QueueDepth.WithLabels("critical")];
    }

    public void Delivered(int type) => _messages[Index(type, ResultDelivered)].Inc();

    public void Stored(int type)
    {
        _messages[Index(type, ResultStored)].Inc();
        StoredMessages.Inc();
    }

    public void Forwarded(int type) => _messages[Index(type, ResultForwarded)].Inc();

    public void Rejected(int type, BusErrorCode code)
    {
        var c = (int)code;
        _messages[Index(type, ResultErrorBase + (c is > 0 and < ErrorCodes ? c : (int)BusErrorCode.Internal))].Inc();
    }

    public static void StoredRemoved() => StoredMessages.Dec();

    public static void StoredCount(long count) => StoredMessages.Set(count);

    public void Queued(WirePriority priority) => _depth[(int)priority & 3].Inc();

    public void Dequeued(WirePriority priority) => _depth[(int)priority & 3].Dec();

    public static void ObserveLatency(double seconds) => Latency.Observe(seconds);

    public static void AgentConnected() => ConnectedAgents.Inc();

    public static void AgentDisconnected() => ConnectedAgents.Dec();

    private static int Index(int type, int result) =>
        ((uint)type < (uint)TypeNames.Length ? type : UnparsedType) * (ResultErrorBase + ErrorCodes) + result;
}
