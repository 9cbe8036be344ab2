// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Compiler;

namespace Acgs.ControlPlane.Distribution;

internal sealed partial class DistributionHub
{
    /// <summary>The most changes waiting for ACKs at once (bounds the memory a sidecar that never answers can hold).</summary>
    public const int MaxPending = 64;

    /// <summary>How many services the hub compiled (not reused) since it started.</summary>
    public long Compilations => _compiler.Compilations;

    /// <summary>How many services took the snapshot the activation check had compiled for the same inputs, since the hub started.</summary>
    public long Precompiled => _compiler.Precompiled;

    /// <summary>
    /// Recompiles the connected services whose inputs changed and pushes changed snapshots: each new snapshot is
    /// serialized once (its bytes come from the compilation) and queued to each of its service's watchers, newest wins.
    /// </summary>
    public async Task RebuildAsync(CancellationToken cancellationToken)
    {
        var sinceTicks = Interlocked.Exchange(ref _pendingSinceTicks, long.MaxValue);
        var started = _time.GetTimestamp();

        // Registered before the first push: a fast sidecar can ACK while later services are still compiling.
        var pending = sinceTicks == long.MaxValue ? null : new PendingConvergence(new DateTimeOffset(sinceTicks, TimeSpan.Zero), new Dictionary<string, string>(StringComparer.Ordinal));
        if (pending is not null)
        {
            lock (_pending)
            {
                _pending.Add(pending);
                if (_pending.Count > MaxPending)
                {
                    _pending.RemoveAt(0); // a sidecar that never answers must not grow this list: its oldest change stays unmeasured
                }
            }
        }

        try
        {
            // The revision first (a change committed after it is rebuilt again), then the policies and the sidecars concurrently.
            var revision = await _store.GetRevisionAsync(cancellationToken).ConfigureAwait(false);
            var loading = LoadPoliciesAsync(cancellationToken);
            var listing = _directory.ListAsync();
            await Task.WhenAll(loading, listing).ConfigureAwait(false);
            var policies = await loading.ConfigureAwait(false);
            var endpoints = await listing.ConfigureAwait(false);
            var loaded = _time.GetTimestamp();
            var inputs = CompilationInputs.Prepare(policies, endpoints, _options.AcceptedHashes, TrustBundle, _authority?.TrustDomain, _lastInputs);
            _lastInputs = inputs;
            var services = new Dictionary<string, List<Watcher>>(StringComparer.Ordinal);
            foreach (var watcher in _watchers.Values)
            {
                if (!services.TryGetValue(watcher.ServiceName, out var group))
                {
                    services[watcher.ServiceName] = group = [];
                }

                group.Add(watcher);
            }

            long compileTicks = _time.GetTimestamp() - loaded, serializeTicks = 0, queueTicks = 0;
            int compiled = 0, reused = 0;
            foreach (var (service, watchers) in services)
            {
                var compiling = _time.GetTimestamp();
                var result = _compiler.Compile(service, inputs, revision, out var fromCache);
                _ = fromCache ? reused++ : compiled++;
                var serializing = _time.GetTimestamp();
                compileTicks += serializing - compiling;
                Quarantine.Record(service, result);
                if (result.Snapshot is null)
                {
                    _metrics.CompileErrors.WithLabels(service).Inc();
                    DistributionLog.CompileFailed(_logger, service, string.Join("; ", result.Errors));
                    continue;
                }

                var snapshot = result.Snapshot;
                if (_snapshots.TryGetValue(service, out var previous)
                    && string.Equals(SnapshotCompiler.ContentOf(previous.Version), SnapshotCompiler.ContentOf(snapshot.Version), StringComparison.Ordinal))
                {
                    snapshot = previous;
                }

                _snapshots[service] = snapshot;

                // Serialized once (the compiler's bytes), before any stream loop wakes up and would race to do it; the
                // snapshot it replaces is the base of its delta lines.
                var line = SerializedSnapshot.Of(snapshot, ReferenceEquals(snapshot, result.Snapshot) ? result.Json : null);
                if (previous is not null)
                {
                    line.Follows(SerializedSnapshot.Of(previous));
                }
                var queueing = _time.GetTimestamp();
                serializeTicks += queueing - serializing;
                Queue(pending, snapshot, watchers);
                queueTicks += _time.GetTimestamp() - queueing;
            }

            var connected = services.Keys.ToHashSet(StringComparer.Ordinal);
            _compiler.Retain(connected);
            Quarantine.Publish(connected);
            LastRevision = revision;
            LastRebuildDuration = _time.GetElapsedTime(started);
            LastRebuildTimings = new RebuildTimings(_time.GetElapsedTime(started, loaded), Ticks(compileTicks), Ticks(serializeTicks), Ticks(queueTicks), compiled, reused);
            Seal(pending);
        }
        catch
        {
            // Drop this measurement's entry and keep its start for the retry.
            if (pending is not null)
            {
                lock (_pending)
                {
                    _pending.Remove(pending);
                }
            }

            RequestRebuild(sinceTicks == long.MaxValue ? null : new DateTimeOffset(sinceTicks, TimeSpan.Zero));
            throw;
        }
    }

    /// <summary>Registers every watcher of the service that lacks <paramref name="snapshot"/> as awaited (one lock), then queues it to each.</summary>
    private void Queue(PendingConvergence? pending, Acgs.Contracts.Config.ConfigSnapshot snapshot, List<Watcher> watchers)
    {
        var stale = new List<Watcher>(watchers.Count);
        foreach (var watcher in watchers)
        {
            if (!string.Equals(watcher.PushedVersion, snapshot.Version, StringComparison.Ordinal))
            {
                stale.Add(watcher);
            }
        }

        if (stale.Count == 0)
        {
            return;
        }

        if (pending is not null)
        {
            lock (_pending)
            {
                foreach (var watcher in stale)
                {
                    pending.Awaiting[watcher.Key] = snapshot.Version;
                }
            }
        }

        foreach (var watcher in stale)
        {
            if (watcher.Push(snapshot))
            {
                _metrics.Pushes.Inc();
            }
            else
            {
                Resolve(watcher.Key, version: null, latest: null);
            }
        }
    }

    private TimeSpan Ticks(long ticks) => TimeSpan.FromSeconds((double)ticks / _time.TimestampFrequency);
}
