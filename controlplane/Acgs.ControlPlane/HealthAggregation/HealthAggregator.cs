// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Health;
using Acgs.ControlPlane.Telemetry;
using Acgs.Core.CircuitBreaker;

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary>
/// Mesh health from the sidecars' breaker and golden-metrics reports (docs/control-plane.md), in memory. A service's score
/// is the breaker score of all its nodes times the success rate of the requests they handled (<see cref="HealthScore.SuccessFactor"/>),
/// the mesh's the breaker score of every node times the lowest service success factor; a node silent for 3 report intervals counts
/// every breaker it last reported as open (at least one), and one silent for <see cref="ForgetAfter"/> (default
/// <see cref="ForgetIntervals"/> intervals) is forgotten, as is one that deregisters (<see cref="Forget"/>); a service
/// whose last node is forgotten disappears with its history and gauges. Keeps the last 5 minutes of status changes per
/// service and for the mesh (at most <see cref="MaxHistory"/> each), raises <see cref="StatusChanged"/> once per
/// change and sets the <c>acgs_controlplane_*_health_*</c> gauges. Thread-safe.
/// </summary>
internal sealed partial class HealthAggregator
{
    /// <summary>Most history entries kept per service and for the mesh.</summary>
    public const int MaxHistory = 512;

    /// <summary>How many report intervals a node may be silent before it counts as open.</summary>
    public const int SilentIntervals = 3;

    /// <summary>How many report intervals a node may be silent before it is forgotten, unless the constructor says otherwise.</summary>
    public const int ForgetIntervals = 60;

    /// <summary>How long status changes are kept.</summary>
    public static readonly TimeSpan HistoryWindow = TimeSpan.FromMinutes(5);

    private readonly Lock _state = new();
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ControlPlaneMetrics? _metrics;
    private readonly Dictionary<string, Dictionary<string, NodeState>> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HealthStatus> _serviceStatus = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<HealthStatusChange>> _serviceHistory = new(StringComparer.Ordinal);
    private readonly Queue<HealthStatusChange> _meshHistory = new();
    private HealthStatus _meshStatus = HealthStatus.Healthy;

    /// <summary>
    /// Creates an empty aggregator; nodes are expected to report every <paramref name="reportInterval"/> and are forgotten
    /// once silent for <paramref name="forgetAfter"/> (null = <see cref="ForgetIntervals"/> intervals), which must be longer
    /// than <see cref="SilenceLimit"/>.
    /// </summary>
    public HealthAggregator(TimeSpan reportInterval, TimeProvider time, ControlPlaneMetrics? metrics = null, TimeSpan? forgetAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(reportInterval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        ReportInterval = reportInterval;
        ForgetAfter = forgetAfter ?? reportInterval * ForgetIntervals;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ForgetAfter, SilenceLimit, nameof(forgetAfter));
        _time = time;
        _metrics = metrics;
    }

    /// <summary>Raised (outside the aggregator's lock, in order) once for every status change of a service or of the mesh.</summary>
    public event EventHandler<HealthStatusChange>? StatusChanged;

    /// <summary>The interval sidecars report at.</summary>
    public TimeSpan ReportInterval { get; }

    /// <summary>The silence after which a node counts as open.</summary>
    public TimeSpan SilenceLimit => ReportInterval * SilentIntervals;

    /// <summary>The silence after which a node is forgotten (longer than <see cref="SilenceLimit"/>).</summary>
    public TimeSpan ForgetAfter { get; }

    /// <summary>Records a report that <see cref="HealthReportValidator"/> accepts (throws on one it refuses) and re-evaluates.</summary>
    public void Report(string service, string node, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        HealthReportValidator.Validate(service, node, report).ThrowIfInvalid(nameof(report));
        int closed = 0, halfOpen = 0, open = 0;
        var states = new Dictionary<string, CircuitState>(report.Clusters!.Count, StringComparer.Ordinal);
        foreach (var cluster in report.Clusters!)
        {
            var state = CircuitStateNames.TryParse(cluster!.State, out var parsed) ? parsed : CircuitState.Open; // validated above
            states[cluster.Name!] = state;
            Tally(state, ref closed, ref halfOpen, ref open);
        }

        lock (_state)
        {
            if (!_services.TryGetValue(service, out var nodes))
            {
                nodes = new Dictionary<string, NodeState>(StringComparer.Ordinal);
                _services.Add(service, nodes);
            }

            nodes[node] = new NodeState(closed, halfOpen, open, _time.GetTimestamp(), _time.GetUtcNow(), report.RequestsTotal, report.ErrorsTotal, states, report.Golden);
        }

        Evaluate();
    }

    /// <summary>
    /// Forgets one node at once (a sidecar deregistering on shutdown) and re-evaluates; false when it is unknown.
    /// A service left without nodes disappears with its history and gauges.
    /// </summary>
    public bool Forget(string service, string node)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(node);
        lock (_state)
        {
            if (!_services.TryGetValue(service, out var nodes) || !nodes.Remove(node))
            {
                return false;
            }

            if (nodes.Count == 0)
            {
                RemoveServiceLocked(service);
            }
        }

        Evaluate();
        return true;
    }

    /// <summary>
    /// Forgets nodes silent for <see cref="ForgetAfter"/> (and services left without nodes), recomputes every status
    /// (silence included), records and raises the changes, sets the gauges.
    /// </summary>
    public void Evaluate()
    {
        lock (_gate)
        {
            List<HealthStatusChange>? changes = null;
            lock (_state)
            {
                var now = _time.GetUtcNow();
                ForgetSilentLocked();
                long meshClosed = 0, meshHalfOpen = 0, meshOpen = 0;
                var meshFactor = 1.0;
                foreach (var (service, nodes) in _services)
                {
                    var counts = CountLocked(nodes, out _);
                    meshFactor = Math.Min(meshFactor, counts.SuccessFactor);
                    meshClosed += counts.Closed;
                    meshHalfOpen += counts.HalfOpen;
                    meshOpen += counts.Open;
                    var status = counts.Status;
                    _metrics?.ServiceHealthScore.WithLabels(service).Set(counts.Score);
                    _metrics?.ServiceHealthStatus.WithLabels(service).Set((int)status);
                    var known = _serviceStatus.TryGetValue(service, out var previous);
                    if (!known || previous != status)
                    {
                        _serviceStatus[service] = status;
                        var change = new HealthStatusChange(service, known ? previous : null, status, counts.Score, now);
                        if (!_serviceHistory.TryGetValue(service, out var history))
                        {
                            history = new Queue<HealthStatusChange>();
                            _serviceHistory.Add(service, history);
                        }

                        Append(history, change);
                        (changes ??= []).Add(change);
                    }
                }

                var mesh = new HealthCounts(meshClosed, meshHalfOpen, meshOpen, meshFactor);
                _metrics?.MeshHealthScore.Set(mesh.Score);
                _metrics?.MeshHealthStatus.Set((int)mesh.Status);
                if (mesh.Status != _meshStatus)
                {
                    var change = new HealthStatusChange(null, _meshStatus, mesh.Status, mesh.Score, now);
                    _meshStatus = mesh.Status;
                    Append(_meshHistory, change);
                    (changes ??= []).Add(change);
                }

                foreach (var history in _serviceHistory.Values)
                {
                    Prune(history, now);
                }

                Prune(_meshHistory, now);
            }

            if (changes is not null)
            {
                foreach (var change in changes)
                {
                    StatusChanged?.Invoke(this, change);
                }
            }
        }
    }

    /// <summary>
    /// The current status of every service as a change from nothing (<see cref="HealthStatusChange.Previous"/> null): what
    /// a replica that just took the lead replays to its recovery.
    /// </summary>
    public IReadOnlyList<HealthStatusChange> CurrentStatuses()
    {
        Evaluate();
        var now = _time.GetUtcNow();
        lock (_state)
        {
            var changes = new List<HealthStatusChange>(_services.Count);
            foreach (var (service, nodes) in _services)
            {
                var counts = CountLocked(nodes, out _);
                changes.Add(new HealthStatusChange(service, null, counts.Status, counts.Score, now));
            }

            return changes;
        }
    }

    /// <summary>Every service with a node not yet forgotten, ordered by name.</summary>
    public IReadOnlyList<ServiceHealthView> Services()
    {
        Evaluate();
        lock (_state)
        {
            var names = new List<string>(_services.Keys);
            names.Sort(StringComparer.Ordinal);
            var views = new List<ServiceHealthView>(names.Count);
            foreach (var name in names)
            {
                views.Add(ViewLocked(name, _services[name]));
            }

            return views;
        }
    }

    /// <summary>One service, or null when it never reported or all its nodes were forgotten.</summary>
    public ServiceHealthView? Service(string service)
    {
        Evaluate();
        lock (_state)
        {
            return _services.TryGetValue(service, out var nodes) ? ViewLocked(service, nodes) : null;
        }
    }

    /// <summary>
    /// The breakers named <paramref name="cluster"/> in the last report of every node that is not silent (e.g. how the
    /// callers of a rollout's green cluster see it): one count per reporting node; all zero when no live node reports it.
    /// </summary>
    public HealthCounts ClusterBreakers(string cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        lock (_state)
        {
            long closed = 0, halfOpen = 0, open = 0;
            foreach (var nodes in _services.Values)
            {
                foreach (var node in nodes.Values)
                {
                    if (!IsSilent(node) && node.States.TryGetValue(cluster, out var state))
                    {
                        Tally(state, ref closed, ref halfOpen, ref open);
                    }
                }
            }

            return new HealthCounts(closed, halfOpen, open);
        }
    }

    /// <summary>The mesh-wide score and history.</summary>
    public MeshHealthView Mesh()
    {
        Evaluate();
        lock (_state)
        {
            long closed = 0, halfOpen = 0, open = 0;
            int nodes = 0, silent = 0;
            var factor = 1.0;
            var traffic = new GoldenTraffic();
            foreach (var (service, serviceNodes) in _services)
            {
                var counts = CountLocked(serviceNodes, out var silentNodes);
                factor = Math.Min(factor, counts.SuccessFactor);
                AddTrafficLocked(traffic, service, serviceNodes);
                closed += counts.Closed;
                halfOpen += counts.HalfOpen;
                open += counts.Open;
                nodes += serviceNodes.Count;
                silent += silentNodes;
            }

            var mesh = new HealthCounts(closed, halfOpen, open, factor);
            return new MeshHealthView(HealthScore.Name(mesh.Status), mesh.Score, closed, halfOpen, open, mesh.Total,
                _services.Count, nodes, silent, [.. _meshHistory.Select(HealthChangeView.From)])
            {
                SuccessRate = traffic.SuccessRate,
                SuccessFactor = factor,
                Rps = traffic.InboundRps,
                Edges = traffic.Edges(),
            };
        }
    }

    /// <summary>The history of one service (or of the mesh with null), oldest first.</summary>
    public IReadOnlyList<HealthStatusChange> History(string? service)
    {
        lock (_state)
        {
            Prune(_meshHistory, _time.GetUtcNow());
            if (service is null)
            {
                return [.. _meshHistory];
            }

            if (!_serviceHistory.TryGetValue(service, out var history))
            {
                return [];
            }

            Prune(history, _time.GetUtcNow());
            return [.. history];
        }
    }

    private static void Tally<T>(CircuitState state, ref T closed, ref T halfOpen, ref T open)
        where T : System.Numerics.IBinaryInteger<T>
    {
        switch (state)
        {
            case CircuitState.Closed:
                closed++;
                break;
            case CircuitState.HalfOpen:
                halfOpen++;
                break;
            default:
                open++;
                break;
        }
    }

    private static void Append(Queue<HealthStatusChange> history, HealthStatusChange change)
    {
        history.Enqueue(change);
        while (history.Count > MaxHistory)
        {
            history.Dequeue();
        }
    }

    private static void Prune(Queue<HealthStatusChange> history, DateTimeOffset now)
    {
        while (history.Count > 0 && now - history.Peek().At > HistoryWindow)
        {
            history.Dequeue();
        }
    }

    private void ForgetSilentLocked()
    {
        List<string>? emptied = null;
        foreach (var (service, nodes) in _services)
        {
            foreach (var (name, node) in nodes)
            {
                if (_time.GetElapsedTime(node.LastSeen) >= ForgetAfter)
                {
                    nodes.Remove(name); // allowed while enumerating since .NET Core 3.0
                }
            }

            if (nodes.Count == 0)
            {
                (emptied ??= []).Add(service);
            }
        }

        if (emptied is not null)
        {
            foreach (var service in emptied)
            {
                RemoveServiceLocked(service);
            }
        }
    }

    private void RemoveServiceLocked(string service)
    {
        _services.Remove(service);
        _serviceStatus.Remove(service);
        _serviceHistory.Remove(service);
        _metrics?.ServiceHealthScore.RemoveLabelled(service);
        _metrics?.ServiceHealthStatus.RemoveLabelled(service);
    }

    private bool IsSilent(NodeState node) => _time.GetElapsedTime(node.LastSeen) >= SilenceLimit;

    private HealthCounts CountLocked(Dictionary<string, NodeState> nodes, out int silentNodes)
    {
        long closed = 0, halfOpen = 0, open = 0, requests = 0, errors = 0;
        silentNodes = 0;
        foreach (var node in nodes.Values)
        {
            if (IsSilent(node))
            {
                silentNodes++;
                open += Math.Max(1, node.Closed + node.HalfOpen + node.Open);
            }
            else
            {
                closed += node.Closed;
                halfOpen += node.HalfOpen;
                open += node.Open;
                requests += node.GoldenRequests;
                errors += node.GoldenErrors;
            }
        }

        return new HealthCounts(closed, halfOpen, open, HealthScore.SuccessFactor(requests, errors));
    }

    private ServiceHealthView ViewLocked(string service, Dictionary<string, NodeState> nodes)
    {
        var counts = CountLocked(nodes, out _);
        var names = new List<string>(nodes.Keys);
        names.Sort(StringComparer.Ordinal);
        var nodeViews = new List<NodeHealthView>(names.Count);
        foreach (var name in names)
        {
            var node = nodes[name];
            var silent = IsSilent(node);
            nodeViews.Add(silent
                ? new NodeHealthView(name, true, 0, 0, Math.Max(1, node.Closed + node.HalfOpen + node.Open), node.LastAt, node.RequestsTotal, node.ErrorsTotal)
                : new NodeHealthView(name, false, node.Closed, node.HalfOpen, node.Open, node.LastAt, node.RequestsTotal, node.ErrorsTotal));
        }

        var history = _serviceHistory.TryGetValue(service, out var changes) ? [.. changes.Select(HealthChangeView.From)] : new List<HealthChangeView>();
        var traffic = new GoldenTraffic();
        AddTrafficLocked(traffic, service, nodes);
        return new ServiceHealthView(service, HealthScore.Name(counts.Status), counts.Score, counts.Closed, counts.HalfOpen, counts.Open, counts.Total, nodeViews, history)
        {
            SuccessRate = traffic.SuccessRate,
            SuccessFactor = counts.SuccessFactor,
            Rps = traffic.InboundRps,
            P99Ms = traffic.P99Ms,
            Edges = traffic.Edges(),
        };
    }

}
