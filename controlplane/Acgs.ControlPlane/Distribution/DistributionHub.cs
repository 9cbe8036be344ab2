// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using Acgs.Contracts.Config;
using Acgs.Contracts.Discovery;
using Acgs.Contracts.Policies;
using Acgs.ControlPlane.Compiler;
using Acgs.ControlPlane.Discovery;
using Acgs.ControlPlane.Hosting;
using Acgs.ControlPlane.Policies;
using Acgs.ControlPlane.Store;
using Acgs.ControlPlane.Telemetry;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Distribution;

/// <summary>
/// The replica's distribution state: connected watchers, the current snapshot per service, and
/// changes waiting for ACKs. <see cref="RebuildAsync"/> (run by <see cref="DistributionService"/>
/// whenever something changed) recompiles the connected services whose inputs changed (<see cref="IncrementalCompiler"/>)
/// and pushes only snapshots whose content changed. While the chaos emergency stop is engaged, FaultInjection policies are left out of
/// the compilation, so the snapshots carry no fault rules (delay, abort or force-open).
/// </summary>
internal sealed partial class DistributionHub : IPolicyChangeListener, IDisposable
{
    private readonly ConcurrentDictionary<string, Watcher> _watchers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConfigSnapshot> _snapshots = new(StringComparer.Ordinal);
    private readonly IncrementalCompiler _compiler;
    private CompilationInputs? _lastInputs;
    private readonly List<PendingConvergence> _pending = [];
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly IPolicyStore _store;
    private readonly ServiceDirectory _directory;
    private readonly ControlPlaneOptions _options;
    private readonly ControlPlaneMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<DistributionHub> _logger;
    private long _pendingSinceTicks = long.MaxValue;
    private DateTimeOffset _lastConvergedSince = DateTimeOffset.MinValue;
    private int _requested;

    private readonly Identity.CertificateAuthorityProvider? _authority;

    public DistributionHub(IPolicyStore store, ServiceDirectory directory, ControlPlaneOptions options, ControlPlaneMetrics metrics, TimeProvider time, ILogger<DistributionHub> logger,
        Identity.CertificateAuthorityProvider? authority = null, CompiledAhead? ahead = null)
    {
        _authority = authority;
        _compiler = new IncrementalCompiler(ahead);
        _store = store;
        _directory = directory;
        _options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        Quarantine = new PolicyQuarantine(metrics, time, logger);
        AckStreams = new AckStreamRegistry(metrics);
        _directory.Changed += () => RequestRebuild(null);
    }

    /// <summary>The CA's trust anchors compiled into every snapshot (empty before the CA is loaded).</summary>
    private System.Collections.Immutable.ImmutableArray<string> TrustBundle => _authority?.Current?.TrustBundlePem ?? [];

    /// <summary>The policies the last rebuild left out of snapshots because they stopped compiling.</summary>
    public PolicyQuarantine Quarantine { get; }

    /// <summary>The sidecars' open ACK streams on this replica (one per sidecar).</summary>
    public AckStreamRegistry AckStreams { get; }

    /// <summary>The store revision the last rebuild saw.</summary>
    public long LastRevision { get; private set; } = -1;

    /// <summary>The last measured convergence time (change → last ACK), or null.</summary>
    public TimeSpan? LastConvergence { get; private set; }

    /// <summary>How long the last <see cref="RebuildAsync"/> took (load, compile every connected service, queue pushes).</summary>
    public TimeSpan LastRebuildDuration { get; private set; }

    /// <summary>The last rebuild's time per phase and how many services it compiled.</summary>
    public RebuildTimings LastRebuildTimings { get; private set; }

    /// <summary>Changes still waiting for ACKs.</summary>
    public int PendingCount
    {
        get
        {
            lock (_pending)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Connected watchers of this replica.</summary>
    public IReadOnlyCollection<Watcher> Watchers => (IReadOnlyCollection<Watcher>)_watchers.Values;

    /// <summary>A local policy change: rebuild, measuring convergence from its commit time.</summary>
    public void OnPolicyChanged(PolicyChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        RequestRebuild(change.At);
    }

    /// <summary>Asks for a rebuild; <paramref name="changedAt"/> (when a change is behind it) starts a convergence measurement.</summary>
    public void RequestRebuild(DateTimeOffset? changedAt)
    {
        if (changedAt is { } at)
        {
            var ticks = at.UtcTicks;
            long current;
            while (ticks < (current = Interlocked.Read(ref _pendingSinceTicks)) && Interlocked.CompareExchange(ref _pendingSinceTicks, ticks, current) != current)
            {
            }
        }

        if (Interlocked.Exchange(ref _requested, 1) == 0)
        {
            _signal.Release();
        }
    }

    /// <summary>Waits until a rebuild is requested or <paramref name="timeout"/> passes; true when requested.</summary>
    public async Task<bool> WaitForRequestAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var signalled = await _signal.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _requested, 0);
        return signalled;
    }

    /// <summary>Adds a watcher (replacing an older stream of the same node) and queues its service's current snapshot.</summary>
    public Watcher Connect(string service, string node, string address, bool deltas = false)
    {
        var watcher = new Watcher(service, node, address, _time.GetUtcNow(), deltas);
        if (_watchers.TryGetValue(watcher.Key, out var previous))
        {
            previous.Complete();
        }

        _watchers[watcher.Key] = watcher;
        _metrics.ConnectedSidecars.Set(_watchers.Count);
        if (_snapshots.TryGetValue(service, out var snapshot))
        {
            watcher.Push(snapshot);
            _metrics.Pushes.Inc();
        }

        DistributionLog.Connected(_logger, service, node, address);
        return watcher;
    }

    /// <summary>Removes a watcher whose stream ended.</summary>
    public void Disconnect(Watcher watcher)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        if (_watchers.TryRemove(new KeyValuePair<string, Watcher>(watcher.Key, watcher)))
        {
            _metrics.ConnectedSidecars.Set(_watchers.Count);
            Resolve(watcher.Key, version: null, latest: null);
            DistributionLog.Disconnected(_logger, watcher.ServiceName, watcher.NodeId);
        }
    }

    /// <summary>Records an ACK or NACK; false when the sidecar has no stream on this replica.</summary>
    public bool Acknowledge(SnapshotAck ack)
    {
        ArgumentNullException.ThrowIfNull(ack);
        if (!_watchers.TryGetValue(ack.ServiceName + "|" + ack.NodeId, out var watcher))
        {
            return false;
        }

        if (ack.Accepted)
        {
            watcher.AckedVersion = ack.Version;
            _metrics.Acks.Inc();
        }
        else
        {
            watcher.NackedVersion = ack.Version;
            watcher.LastErrors = ack.Errors ?? [];
            _metrics.Nacks.WithLabels(watcher.ServiceName).Inc();
            DistributionLog.Nacked(_logger, watcher.ServiceName, watcher.NodeId, ack.Version, string.Join("; ", watcher.LastErrors));
        }

        watcher.Answered(ack.Version, ack.Accepted, _snapshots.GetValueOrDefault(watcher.ServiceName));
        Resolve(watcher.Key, ack.Version, watcher.PushedVersion);
        return true;
    }

    /// <summary>The current snapshot of <paramref name="service"/> on this replica, or null.</summary>
    public ConfigSnapshot? CurrentSnapshot(string service) => _snapshots.GetValueOrDefault(service);

    /// <summary>Compiles <paramref name="service"/>'s snapshot from the current store and directory (a preview; nothing is pushed).</summary>
    public async Task<CompileResult> CompileAsync(string service, CancellationToken cancellationToken)
    {
        var policies = await LoadPoliciesAsync(cancellationToken).ConfigureAwait(false);
        var revision = await _store.GetRevisionAsync(cancellationToken).ConfigureAwait(false);
        var endpoints = await _directory.ListAsync().ConfigureAwait(false);
        return SnapshotCompiler.Compile(service, policies, endpoints, revision, _options.AcceptedHashes, TrustBundle, _authority?.TrustDomain);
    }

    /// <summary>Ends every stream (shutdown).</summary>
    public void CompleteAll()
    {
        foreach (var watcher in _watchers.Values)
        {
            watcher.Complete();
        }
    }

    public void Dispose() => _signal.Dispose();

    /// <summary>The active policies to compile: without FaultInjection ones while the emergency stop is engaged.</summary>
    private async Task<List<ActivePolicy>> LoadPoliciesAsync(CancellationToken cancellationToken)
    {
        var loading = ActivePolicies.LoadAsync(_store, cancellationToken);
        var stopping = _store.GetEmergencyStopAsync(cancellationToken);
        await Task.WhenAll(loading, stopping).ConfigureAwait(false);
        var policies = await loading.ConfigureAwait(false);
        var stopped = await stopping.ConfigureAwait(false) is not null;
        _metrics.EmergencyStop.Set(stopped ? 1 : 0);
        if (stopped)
        {
            policies.RemoveAll(static p => p.Document.Spec is FaultInjectionSpec);
        }

        return policies;
    }

    private void Seal(PendingConvergence? pending)
    {
        if (pending is null)
        {
            return;
        }

        lock (_pending)
        {
            pending.Sealed = true;
            if (pending.Awaiting.Count == 0)
            {
                Complete(pending);
            }
        }
    }

    private void Resolve(string key, string? version, string? latest)
    {
        var now = _time.GetUtcNow();
        lock (_pending)
        {
            for (var i = _pending.Count - 1; i >= 0; i--)
            {
                var pending = _pending[i];
                if (!pending.Awaiting.TryGetValue(key, out var awaited))
                {
                    continue;
                }

                // An answer to the awaited version, or to a newer push that supersedes it, or a disconnect.
                if (version is null || awaited == version || (latest == version && awaited != latest))
                {
                    pending.Awaiting.Remove(key);
                    if (version is not null)
                    {
                        pending.LastAnswer = now;
                    }
                }

                if (pending.Sealed && pending.Awaiting.Count == 0)
                {
                    Complete(pending);
                }
            }
        }
    }

    /// <summary>Records a finished measurement and removes it (caller holds the pending lock).</summary>
    private void Complete(PendingConvergence pending)
    {
        _pending.Remove(pending);
        if (pending.LastAnswer is not { } answered)
        {
            return; // nothing was pushed, or every awaited sidecar disconnected
        }

        var elapsed = answered - pending.Since;
        _metrics.Convergence.Observe(Math.Max(0, elapsed.TotalSeconds));
        if (pending.Since >= _lastConvergedSince)
        {
            _lastConvergedSince = pending.Since;
            LastConvergence = elapsed;
        }

        DistributionLog.Converged(_logger, _watchers.Count, elapsed.TotalMilliseconds);
    }
}
