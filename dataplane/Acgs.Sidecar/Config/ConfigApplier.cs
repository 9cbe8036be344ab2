// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Bus;
using Acgs.Sidecar.Faults;
using Acgs.Sidecar.HashEnforcement;
using Acgs.Sidecar.Telemetry;
using Acgs.Sidecar.TrafficSplit;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace Acgs.Sidecar.Config;

/// <summary>
/// The one apply path of config snapshots (bootstrap, file reload, later the control-plane stream):
/// validate with the shared <see cref="ConfigSnapshotValidator"/> and YARP's own validator, compile
/// (<see cref="ProxyConfigBuilder"/>), then swap atomically — YARP sees the new routes and clusters
/// through <see cref="IProxyConfigProvider"/>'s change token, in-flight requests keep the old ones.
/// An invalid snapshot is refused: the previous one stays, the errors are logged and
/// <c>acgs_config_rejections_total</c> is incremented. On apply, the bus agent directory (when the bus is
/// wired) becomes the static directory (<c>ACGS_BUS_DIRECTORY</c> / file, as it was at start) with the
/// snapshot's <c>agent_directory</c> merged over it. The snapshot's <c>force_open_breaker</c> fault rules
/// hold their clusters' breakers open (<see cref="ForcedOpenBreakers"/>) until they expire or a snapshot
/// without them is applied. The trust anchors of the last snapshot validated are remembered
/// (<see cref="TrustAnchorMemo"/>), so an unchanged <c>mutual_tls.trust_bundle</c> is not parsed again; applies
/// are serialized by a gate, and the memo is safe for concurrent use besides.
/// </summary>
internal sealed partial class ConfigApplier : IProxyConfigProvider, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TrustAnchorMemo _anchors = new();
    private readonly SidecarOptions _options;
    private readonly IConfigValidator _validator;
    private readonly CircuitBreakerRegistry _breakers;
    private readonly TimeProvider _time;
    private readonly ILogger<ConfigApplier> _logger;
    private readonly BusAgentDirectory? _agents;
    private readonly IReadOnlyDictionary<string, string> _staticAgents;
    private readonly bool _splitEnabled;
    private readonly ForcedOpenBreakers _forced;
    private readonly SidecarMetrics _metrics;
    private ActiveConfig? _current;
    private AcgsProxyConfig _proxy = AcgsProxyConfig.Empty();
    private readonly bool _identityEnabled;
    private readonly Authorization.AuthorizationMetrics _authorization;
    private readonly DestinationGrace _grace;
    private ConfigSnapshot? _latestControlPlane;
    private ITimer? _graceTimer;

    /// <summary>
    /// Creates the applier; nothing is active until the first <see cref="ApplyAsync"/>. <paramref name="split"/>
    /// (registered by <c>AddAcgsTrafficSplit</c>) enables weighted routes; <paramref name="agents"/> (registered
    /// with the bus) receives the agent directory. <paramref name="metrics"/> and <paramref name="faultMetrics"/>
    /// are the host's (a registry of its own when not given, as in unit tests).
    /// </summary>
    public ConfigApplier(
        SidecarOptions options,
        IConfigValidator validator,
        CircuitBreakerRegistry breakers,
        TimeProvider time,
        ILogger<ConfigApplier> logger,
        TrafficSplitMatcherPolicy? split = null,
        BusAgentDirectory? agents = null,
        SidecarMetrics? metrics = null,
        FaultMetrics? faultMetrics = null,
        Identity.IdentitySettings? identity = null,
        Authorization.AuthorizationMetrics? authorization = null)
    {
        _identityEnabled = identity?.Enabled == true;
        _options = options;
        _validator = validator;
        _breakers = breakers;
        _time = time;
        _logger = logger;
        _splitEnabled = split is not null;
        _agents = agents;
        _staticAgents = agents?.Entries ?? new Dictionary<string, string>(StringComparer.Ordinal);
        _metrics = metrics ?? new SidecarMetrics();
        _authorization = authorization ?? new Authorization.AuthorizationMetrics(_metrics);
        _forced = new ForcedOpenBreakers(breakers, time, logger, faultMetrics ?? new FaultMetrics(_metrics));
        _grace = new DestinationGrace(options.DestinationGrace);
    }

    /// <summary>Raised after a snapshot became active.</summary>
    public event Action<ActiveConfig>? Applied;

    /// <summary>The breakers held open by the active snapshot's <c>force_open_breaker</c> fault rules.</summary>
    public ForcedOpenBreakers ForcedOpen => _forced;

    /// <summary>True once a snapshot is active.</summary>
    public bool HasConfig => Volatile.Read(ref _current) is not null;

    /// <summary>The active config. Throws before the first snapshot was applied.</summary>
    public ActiveConfig Current => Volatile.Read(ref _current) ?? throw new InvalidOperationException("no config snapshot has been applied yet");

    /// <summary>The active config, or null before the first snapshot.</summary>
    public ActiveConfig? CurrentOrNull => Volatile.Read(ref _current);

    /// <inheritdoc />
    public IProxyConfig GetConfig() => Volatile.Read(ref _proxy);

    /// <summary>Validates and applies <paramref name="snapshot"/>; see the class remarks.</summary>
    public async Task<ApplyResult> ApplyAsync(ConfigSnapshot snapshot, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentException.ThrowIfNullOrEmpty(source);
        var version = snapshot.Version ?? string.Empty;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var errors = new List<string>(ConfigSnapshotValidator.Validate(snapshot, _anchors));
            if (errors.Count > 0)
            {
                return Reject(source, version, errors);
            }

            var previous = Volatile.Read(ref _current);
            if (source == ConfigSources.ControlPlane)
            {
                _latestControlPlane = snapshot;
                snapshot = HoldDroppedDestinations(previous, snapshot);
            }

            if (previous is not null && OnlyAgentDirectoryChanged(previous.Snapshot, snapshot))
            {
                return ApplyDirectoryOnly(previous, snapshot, source, version);
            }

            var compiled = ProxyConfigBuilder.Build(snapshot, _options, previous?.Resilience, _splitEnabled,
                mutualTls: _identityEnabled && snapshot.MutualTls?.Mode != Acgs.Contracts.Config.MutualTlsMode.Disabled);
            errors.AddRange(compiled.Errors);
            foreach (var route in compiled.Routes)
            {
                foreach (var ex in await _validator.ValidateRouteAsync(route).ConfigureAwait(false))
                {
                    errors.Add($"route '{route.RouteId}': {ex.Message}");
                }
            }

            foreach (var cluster in compiled.Clusters)
            {
                foreach (var ex in await _validator.ValidateClusterAsync(cluster).ConfigureAwait(false))
                {
                    errors.Add($"cluster '{cluster.ClusterId}': {ex.Message}");
                }
            }

            if (errors.Count > 0)
            {
                return Reject(source, version, errors);
            }

            var proxy = new AcgsProxyConfig(source + ":" + version, compiled.Routes, compiled.Clusters);
            var active = new ActiveConfig(snapshot, source, _time.GetUtcNow(), HashPolicyRuntime.From(snapshot), compiled.Resilience, proxy, compiled.Faults,
                Authorization.AuthorizationMatcher.Build(snapshot.Authorization, _authorization));
            _breakers.ApplyOverrides(compiled.BreakerOverrides);
            _forced.Apply(snapshot);
            UpdateAgentDirectory(snapshot);
            Volatile.Write(ref _current, active);
            var old = Interlocked.Exchange(ref _proxy, proxy);
            old.SignalChanged();
            _metrics.ConfigApplies.Inc();
            LogApplied(version, source, compiled.Routes.Count, compiled.Clusters.Count);
            Applied?.Invoke(active);
            return ApplyResult.Ok(version);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The clusters kept by <see cref="DestinationGrace"/> (empty when none).</summary>
    public IReadOnlyCollection<string> HeldDestinations => _grace.Held;

    /// <summary>Keeps the destinations a control-plane snapshot dropped for their grace; re-applies the latest snapshot when it ends.</summary>
    private ConfigSnapshot HoldDroppedDestinations(ActiveConfig? previous, ConfigSnapshot incoming)
    {
        var held = _grace.Apply(previous?.Snapshot, incoming, _time.GetUtcNow());
        _graceTimer?.Dispose();
        _graceTimer = null;
        if (_grace.NextExpiry is { } expiry)
        {
            LogHeld(incoming.Version ?? string.Empty, string.Join(", ", _grace.Held), (expiry - _time.GetUtcNow()).TotalSeconds);
            _graceTimer = _time.CreateTimer(static state => ((ConfigApplier)state!).GraceEnded(), this, expiry - _time.GetUtcNow() + TimeSpan.FromMilliseconds(10), Timeout.InfiniteTimeSpan);
        }

        return held;
    }

    private void GraceEnded()
    {
        if (Volatile.Read(ref _latestControlPlane) is { } latest)
        {
            _ = ApplyAsync(latest, ConfigSources.ControlPlane);
        }
    }

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "[cdd01ef066bc6cf2] config snapshot '{Version}' from the control plane drops every endpoint of {Clusters}, which this sidecar uses: kept for up to {Seconds:0} s more (ACGS_DESTINATION_GRACE_SECONDS) until the control plane reports them again")]
    private partial void LogHeld(string version, string clusters, double seconds);

    /// <inheritdoc />
    public void Dispose()
    {
        _graceTimer?.Dispose();
        _forced.Dispose();
        _gate.Dispose();
    }

    /// <summary>Counts and logs a snapshot that could not even be read (e.g. a broken file on reload).</summary>
    public ApplyResult RecordRejection(string source, IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return Reject(source, string.Empty, errors);
    }

    private ApplyResult Reject(string source, string version, IReadOnlyList<string> errors)
    {
        _metrics.ConfigRejections.Inc();
        LogRejected(version, source, errors.Count, string.Join("; ", errors));
        return ApplyResult.Rejected(version, errors);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "config snapshot '{Version}' from {Source} applied: {Routes} routes, {Clusters} clusters")]
    private partial void LogApplied(string version, string source, int routes, int clusters);

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "config snapshot '{Version}' from {Source} refused ({Count} errors), the previous config stays active: {Errors}")]
    private partial void LogRejected(string version, string source, int count, string errors);
}
