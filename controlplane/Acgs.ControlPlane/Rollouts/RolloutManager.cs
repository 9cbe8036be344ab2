// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Policies;
using Acgs.ControlPlane.Compiler;
using Acgs.ControlPlane.Discovery;
using Acgs.ControlPlane.Policies;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>
/// Blue-green rollouts with automatic rollback (docs/rollouts.md). Holds the rollouts of this replica in memory
/// (one active per service), writes every weight change through <see cref="RolloutSplitWriter"/> (a new, activated
/// version of the service's TrafficSplit policy, audited and pushed like any other change) and, on every
/// <see cref="ReconcileAsync"/> (the <see cref="RolloutController"/>'s tick), runs due analysis checks, rolls back when
/// more than the failure limit fail in a row, and advances steps whose pause is over and whose last check passed.
/// All operations are serialized.
/// </summary>
internal sealed partial class RolloutManager : IDisposable
{
    /// <summary>The actor of the controller's own changes in the audit log.</summary>
    public const string ControllerActor = "rollout-controller";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Rollout> _rollouts = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly PolicyRegistry _registry;
    private readonly ServiceDirectory _directory;
    private readonly RolloutSplitWriter _writer;
    private readonly RolloutAnalyzer _analyzer;
    private readonly RolloutMetrics _metrics;
    private readonly RolloutOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IRolloutStateStore _file;
    private long _sequence;
    private bool _dirty;

    public RolloutManager(
        PolicyRegistry registry,
        ServiceDirectory directory,
        RolloutSplitWriter writer,
        RolloutAnalyzer analyzer,
        RolloutMetrics metrics,
        RolloutOptions options,
        IRolloutStateStore file,
        TimeProvider time,
        ILogger<RolloutManager> logger)
    {
        _file = file;
        _registry = registry;
        _directory = directory;
        _writer = writer;
        _analyzer = analyzer;
        _metrics = metrics;
        _options = options;
        _time = time;
        _logger = logger;
        if (!file.Shared)
        {
            Load("control plane restarted");
        }
        else
        {
            _following = true; // replicas on Redis: the state is the leader's until this one leads (RolloutController)
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    /// <summary>The rollout, or null.</summary>
    public async Task<Rollout?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _rollouts.GetValueOrDefault(id);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Every rollout held (active and kept finished ones), oldest first, optionally of one service and/or phase.</summary>
    public async Task<IReadOnlyList<Rollout>> ListAsync(string? service, RolloutPhase? phase, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var list = new List<Rollout>();
            foreach (var id in _order)
            {
                var rollout = _rollouts[id];
                if ((service is null || rollout.Service == service) && (phase is null || rollout.Phase == phase))
                {
                    list.Add(rollout);
                }
            }

            return list;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Validates <paramref name="request"/>, checks that blue and green are known clusters and that the service has no
    /// active rollout, writes the first step's weights and starts the rollout.
    /// </summary>
    public async Task<RolloutResult> CreateAsync(CreateRolloutRequest? request, string actor, CancellationToken cancellationToken)
    {
        var errors = RolloutRequestValidator.Validate(request, _options, out var plan);
        if (plan is null)
        {
            return new RolloutResult(RolloutOutcome.Invalid, null, errors, false);
        }

        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var existing in _rollouts.Values)
            {
                if (existing.IsActive && existing.Service == plan.Service)
                {
                    return RolloutResult.Fail(RolloutOutcome.ActiveRolloutExists, $"service '{plan.Service}' already has an active rollout '{existing.Id}' ({RolloutPhases.Name(existing.Phase)}); promote or abort it first");
                }
            }

            var active = await ActivePolicies.LoadAsync(_registry.Store, cancellationToken).ConfigureAwait(false);
            var split = RolloutSplitWriter.CurrentSplit(active, plan.Service);
            var blue = plan.Blue ?? StableSide(split, plan.Service);
            if (string.Equals(blue, plan.Green, StringComparison.Ordinal))
            {
                return RolloutResult.Fail(RolloutOutcome.Invalid, $"green_cluster: must differ from the blue cluster '{blue}' (taken from the current split when blue_cluster is omitted)");
            }

            var known = await KnownClustersAsync(active).ConfigureAwait(false);
            var unknown = new List<string>();
            foreach (var (field, cluster) in (ReadOnlySpan<(string, string)>)[("blue_cluster", blue), ("green_cluster", plan.Green)])
            {
                if (!known.Contains(cluster))
                {
                    unknown.Add($"{field}: '{cluster}' has no sidecars and no static destinations (register its sidecars or add a Route policy with destinations first)");
                }
            }

            if (unknown.Count > 0)
            {
                return new RolloutResult(RolloutOutcome.UnknownService, null, unknown, false);
            }

            var now = _time.GetUtcNow();
            var id = $"{plan.Service}-{++_sequence}";
            var rollout = new Rollout
            {
                Id = id,
                Service = plan.Service,
                PolicyId = split?.PolicyId ?? RolloutSplitWriter.PolicyIdFor(plan.Service),
                Blue = blue,
                Green = plan.Green,
                Strategy = plan.Strategy,
                Steps = plan.Steps,
                Analysis = plan.Analysis,
                CreatedBy = actor,
                CreatedAt = now,
                UpdatedAt = now,
                GreenWeight = split?.Document.Spec is TrafficSplitSpec current && current.BlueCluster == blue && current.GreenCluster == plan.Green ? current.GreenWeight : 0,
            };

            var first = plan.Steps[0];
            var write = await _writer.WriteAsync(rollout, first.Weight, actor, Note(rollout, 0, "created"), force: false, cancellationToken).ConfigureAwait(false);
            if (write.Status is not (RegistryStatus.Ok or RegistryStatus.Created))
            {
                return new RolloutResult(RolloutOutcome.SplitRejected, null, write.Errors, false);
            }

            rollout = EnterStep(rollout with { GreenWeight = first.Weight }, 0, now)
                .WithEvent(now, "created", $"{blue} -> {plan.Green} by {actor}; {plan.Steps.Length} step(s), green at {first.Weight}%");
            _order.Add(id);
            Store(rollout);
            await SaveIfChangedAsync(cancellationToken).ConfigureAwait(false);
            RolloutLog.Created(_logger, id, rollout.Service, actor, blue, rollout.Green, rollout.Steps.Length, first.Weight);
            return RolloutResult.Success(RolloutOutcome.Created, rollout);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>One controller pass over every active rollout.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var ids = new List<string>(_order);
            foreach (var id in ids)
            {
                if (_rollouts.TryGetValue(id, out var rollout) && rollout.IsActive)
                {
                    var after = await ReconcileOneAsync(rollout, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                    if (!ReferenceEquals(after, rollout))
                    {
                        Store(after);
                    }
                }
            }

            await SaveIfChangedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string StableSide(ActivePolicy? split, string service) =>
        split?.Document.Spec is TrafficSplitSpec current
            ? (current.GreenWeight > current.BlueWeight ? current.GreenCluster : current.BlueCluster)
            : service;

    private static string Note(Rollout rollout, int step, string what) =>
        $"rollout={rollout.Id} step={step + 1}/{rollout.Steps.Length} {what}";

    private async Task<HashSet<string>> KnownClustersAsync(List<ActivePolicy> active)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in await _directory.ListAsync().ConfigureAwait(false))
        {
            known.Add(endpoint.ServiceName);
        }

        foreach (var policy in active)
        {
            if (policy.Document.Spec is RouteSpec { Destinations.Length: > 0 } route)
            {
                known.Add(route.Cluster);
            }
        }

        return known;
    }
}
