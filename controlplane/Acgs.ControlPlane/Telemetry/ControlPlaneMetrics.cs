// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Policies;
using Prometheus;

namespace Acgs.ControlPlane.Telemetry;

/// <summary>
/// The control plane's Prometheus metrics, in a registry of its own (so two replicas in one
/// process, as in tests, do not share counters). Served at <c>/metrics</c>.
/// </summary>
internal sealed class ControlPlaneMetrics : IPolicyChangeListener
{
    public ControlPlaneMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        Factory = factory;
        PolicyWrites = factory.CreateCounter("acgs_controlplane_policy_writes_total", "Committed registry writes.", "action");
        ConnectedSidecars = factory.CreateGauge("acgs_controlplane_connected_sidecars", "Sidecars holding a watch stream to this replica.");
        Pushes = factory.CreateCounter("acgs_controlplane_snapshot_pushes_total", "Snapshots written to watch streams.");
        Acks = factory.CreateCounter("acgs_controlplane_acks_total", "Snapshots sidecars accepted.");
        AckStreamAnswers = factory.CreateCounter("acgs_controlplane_ack_stream_answers_total", "ACKs and NACKs taken from sidecars' ACK streams (the others came by POST /ack).");
        AckStreamLinesRefused = factory.CreateCounter("acgs_controlplane_ack_stream_lines_refused_total",
            "ACK stream lines dropped: unreadable (not a JSON SnapshotAck), invalid (fails validation), other_node (another service or node than the stream's), too_long (ends the stream).", "reason");
        AckStreams = factory.CreateGauge("acgs_controlplane_ack_streams", "Sidecars' ACK streams open on this replica (at most one per sidecar).");
        Nacks = factory.CreateCounter("acgs_controlplane_nacks_total", "Snapshots sidecars rejected.", "service");
        CompileErrors = factory.CreateCounter("acgs_controlplane_compile_errors_total", "Snapshots the compiler refused to publish (conflicts, invalid config).", "service");
        QuarantinedPolicies = factory.CreateGauge("acgs_controlplane_quarantined_policies", "Services an active policy is left out of because their snapshot does not compile with it.", "policy");
        Convergence = factory.CreateHistogram("acgs_controlplane_convergence_seconds", "From a committed change to the last ACK of the sidecars connected to this replica.",
            new HistogramConfiguration { Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        EmergencyStop = factory.CreateGauge("acgs_controlplane_chaos_emergency_stop", "1 while the chaos emergency stop is engaged (as this replica last read it), else 0.");
        ServiceHealthScore = factory.CreateGauge("acgs_controlplane_service_health_score", "Breaker health score of a service over its nodes: (closed + 0.5*half_open) / total, 1 with none.", "service");
        ServiceHealthStatus = factory.CreateGauge("acgs_controlplane_service_health_status", "Health status of a service: 0 healthy, 1 degraded, 2 critical.", "service");
        MeshHealthScore = factory.CreateGauge("acgs_controlplane_mesh_health_score", "Breaker health score over every node of every service.");
        MeshHealthStatus = factory.CreateGauge("acgs_controlplane_mesh_health_status", "Mesh health status: 0 healthy, 1 degraded, 2 critical.");
    }

    /// <summary>The registry <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Creates metrics in <see cref="Registry"/> (the runtime's, bridged by <see cref="Acgs.Telemetry.RuntimeMetricAdapters"/>).</summary>
    public IMetricFactory Factory { get; }

    /// <summary><c>acgs_controlplane_policy_writes_total{action}</c>.</summary>
    public Counter PolicyWrites { get; }

    /// <summary><c>acgs_controlplane_connected_sidecars</c>.</summary>
    public Gauge ConnectedSidecars { get; }

    /// <summary><c>acgs_controlplane_snapshot_pushes_total</c>.</summary>
    public Counter Pushes { get; }

    /// <summary><c>acgs_controlplane_acks_total</c>.</summary>
    public Counter Acks { get; }

    /// <summary><c>acgs_controlplane_ack_stream_answers_total</c>.</summary>
    public Counter AckStreamAnswers { get; }

    /// <summary><c>acgs_controlplane_ack_stream_lines_refused_total{reason}</c>.</summary>
    public Counter AckStreamLinesRefused { get; }

    /// <summary><c>acgs_controlplane_ack_streams</c>.</summary>
    public Gauge AckStreams { get; }

    /// <summary><c>acgs_controlplane_nacks_total{service}</c>.</summary>
    public Counter Nacks { get; }

    /// <summary><c>acgs_controlplane_compile_errors_total{service}</c>.</summary>
    public Counter CompileErrors { get; }

    /// <summary><c>acgs_controlplane_quarantined_policies{policy}</c>.</summary>
    public Gauge QuarantinedPolicies { get; }

    /// <summary><c>acgs_controlplane_convergence_seconds</c>.</summary>
    public Histogram Convergence { get; }

    /// <summary><c>acgs_controlplane_chaos_emergency_stop</c>.</summary>
    public Gauge EmergencyStop { get; }

    /// <summary><c>acgs_controlplane_service_health_score{service}</c>.</summary>
    public Gauge ServiceHealthScore { get; }

    /// <summary><c>acgs_controlplane_service_health_status{service}</c> (0 healthy, 1 degraded, 2 critical).</summary>
    public Gauge ServiceHealthStatus { get; }

    /// <summary><c>acgs_controlplane_mesh_health_score</c>.</summary>
    public Gauge MeshHealthScore { get; }

    /// <summary><c>acgs_controlplane_mesh_health_status</c> (0 healthy, 1 degraded, 2 critical).</summary>
    public Gauge MeshHealthStatus { get; }

    public void OnPolicyChanged(PolicyChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        PolicyWrites.WithLabels(change.Action).Inc();
        if (change.Action == PolicyActions.EmergencyStopEngage || change.Action == PolicyActions.EmergencyStopLift)
        {
            EmergencyStop.Set(change.Action == PolicyActions.EmergencyStopEngage ? 1 : 0);
        }
    }
}
