// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.BusWire;
using Acgs.Sidecar.Telemetry;
using Prometheus;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// The bus's Prometheus metrics, in the host's registry (<see cref="SidecarMetrics"/>). Every labelled
/// child is created once here, so counting on the hot path is an array index and an interlocked add.
/// </summary>
internal sealed partial class BusMetrics
{
    /// <summary>Label value of the type of a frame that could not be parsed.</summary>
    public const int UnparsedType = 12;

    private const int ResultDelivered = 0;
    private const int ResultStored = 1;
    private const int ResultForwarded = 2;
    private const int ResultErrorBase = 3;
    private const int ErrorCodes = (int)BusErrorCode.Forbidden + 1;

    private static readonly string[] TypeNames =
    [
        "command", "query", "response", "event", "notification", "heartbeat", "governance_request",
        "governance_response", "constitutional_validation", "task_request", "task_response", "audit_log", "unparsed",
    ];

    private readonly Counter.Child[] _messages;
    private readonly Gauge.Child[] _depth;
    private readonly Histogram _latency;
    private readonly Gauge _stored;
    private readonly Gauge _agents;

    /// <summary>Creates the bus's collectors in a registry of their own (benchmarks, unit tests).</summary>
    public BusMetrics()
        : this(new SidecarMetrics())
    {
    }

    /// <summary>Creates the bus's collectors in the host's registry (<paramref name="metrics"/>) and every labelled child.</summary>
    public BusMetrics(SidecarMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var factory = metrics.Factory;
        Messages = factory.CreateCounter(
            "acgs_bus_messages_total",
            "Bus messages by seed message type and outcome (delivered, stored, forwarded or the error code).",
            new CounterConfiguration { LabelNames = ["type", "result"] });
        _latency = factory.CreateHistogram(
            "acgs_bus_sidecar_latency_seconds",
            "Time a message spends in this sidecar: frame read until written to the recipient's connection.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.000_01, 2, 16) });
        var queueDepth = factory.CreateGauge(
            "acgs_bus_queue_depth",
            "Messages queued for connected agents and peer links, by priority.",
            new GaugeConfiguration { LabelNames = ["priority"] });
        _stored = factory.CreateGauge(
            "acgs_bus_stored_messages",
            "Messages this sidecar holds in the offline store (Redis streams) awaiting their agent's ack.");
        _agents = factory.CreateGauge(
            "acgs_bus_connected_agents",
            "Agents registered on this sidecar's bus.");

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

        CreateLimitMetrics(metrics.Registry, factory);
        _depth = [queueDepth.WithLabels("low"), queueDepth.WithLabels("normal"), queueDepth.WithLabels("high"), queueDepth.WithLabels("critical")];
    }

    /// <summary><c>acgs_bus_messages_total{type,result}</c>.</summary>
    public Counter Messages { get; }

    public void Delivered(int type) => _messages[Index(type, ResultDelivered)].Inc();

    public void Stored(int type)
    {
        _messages[Index(type, ResultStored)].Inc();
        _stored.Inc();
    }

    public void Forwarded(int type) => _messages[Index(type, ResultForwarded)].Inc();

    public void Rejected(int type, BusErrorCode code)
    {
        var c = (int)code;
        _messages[Index(type, ResultErrorBase + (c is > 0 and < ErrorCodes ? c : (int)BusErrorCode.Internal))].Inc();
    }

    public void StoredRemoved() => _stored.Dec();

    public void StoredCount(long count) => _stored.Set(count);

    public void Queued(WirePriority priority) => _depth[(int)priority & 3].Inc();

    public void Dequeued(WirePriority priority) => _depth[(int)priority & 3].Dec();

    /// <summary>Observes a message's time in this sidecar, given in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public void ObserveLatencyTicks(long ticks) => _latency.Observe(ticks / (double)System.Diagnostics.Stopwatch.Frequency);

    public void AgentConnected() => _agents.Inc();

    public void AgentDisconnected() => _agents.Dec();

    private static int Index(int type, int result) =>
        ((uint)type < (uint)TypeNames.Length ? type : UnparsedType) * (ResultErrorBase + ErrorCodes) + result;
}
