// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Text.Json;
using Acgs.ControlPlane.Store;

namespace Acgs.ControlPlane.Discovery;

/// <summary>
/// Restarts that lose no route: the directory's knowledge of sidecars and their agents outlives the process. With the
/// embedded store it is written (at most once a second, crash-safe) to <c>discovery.json</c> beside the store and read
/// back at start; with Redis the shared hashes keep it (a registration that expired at most the warm-up before this
/// replica started still counts during the warm-up). For <see cref="Hosting.ControlPlaneOptions.DiscoveryWarmUp"/> after a
/// start the remembered sidecars are served as if registered, so the first sidecar to reconnect does not get a snapshot
/// without the destinations whose sidecars have not reconnected yet; each one that registers again replaces its
/// remembered entry, and when the warm-up ends the rest are dropped (<see cref="Changed"/>).
/// </summary>
internal sealed partial class ServiceDirectory : IDisposable
{
    /// <summary>How often a changed directory is written to its memory file.</summary>
    public static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long <see cref="Dispose"/> waits for a save in progress.</summary>
    private static readonly TimeSpan DisposeSaveWait = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, ServiceEndpoint> _remembered = new(StringComparer.Ordinal);
    private readonly string? _memoryFile;
    private readonly TimeSpan _warmUp;
    private readonly DateTimeOffset _startedAt;
    private ITimer? _warmUpTimer;
    private ITimer? _saveTimer;
    private volatile bool _warming;
    private int _dirty;
    private int _saving;

    /// <summary>Sidecars remembered from before the start that have not registered again (empty after the warm-up).</summary>
    public int RememberedCount => _remembered.Count;

    /// <summary>True until the warm-up after the start has ended.</summary>
    public bool WarmingUp => _warming;

    public void Dispose()
    {
        _warmUpTimer?.Dispose();
        _saveTimer?.Dispose();

        // A save the timer started may still be writing its temporary file: wait for it (bounded) and take the saving
        // flag for good, so no save starts after this and the data directory is complete (and removable) once disposed.
        SpinWait.SpinUntil(() => Interlocked.CompareExchange(ref _saving, 1, 0) == 0, DisposeSaveWait);
    }

    /// <summary>Writes the directory to its memory file now when it changed (also called by the save timer).</summary>
    public async Task SaveAsync()
    {
        if (_memoryFile is null || Interlocked.Exchange(ref _saving, 1) == 1)
        {
            return;
        }

        try
        {
            if (Interlocked.Exchange(ref _dirty, 0) == 0)
            {
                return;
            }

            var known = new Dictionary<string, ServiceEndpoint>(StringComparer.Ordinal);
            foreach (var (key, endpoint) in _local)
            {
                known[key] = _reports.TryGetValue(key, out var report) ? endpoint with { BusAddress = report.BusAddress, Agents = report.Agents } : endpoint;
            }

            AddRemembered(known);
            await AtomicFile.WriteAsync(_memoryFile, JsonSerializer.SerializeToUtf8Bytes(known.Values.ToList(), StoreJson.Options), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Interlocked.Exchange(ref _dirty, 1); // tried again on the next tick
        }
        finally
        {
            Volatile.Write(ref _saving, 0);
        }
    }

    private void StartMemory()
    {
        if (_warmUp > TimeSpan.Zero && (Load() > 0 || _redis is not null))
        {
            _warming = true;
            _warmUpTimer = _time.CreateTimer(static state => ((ServiceDirectory)state!).EndWarmUp(), this, _warmUp, Timeout.InfiniteTimeSpan);
        }

        if (_memoryFile is not null)
        {
            _saveTimer = _time.CreateTimer(static state => _ = ((ServiceDirectory)state!).SaveAsync(), this, SaveInterval, SaveInterval);
        }
    }

    private int Load()
    {
        if (_memoryFile is null || !File.Exists(_memoryFile))
        {
            return 0;
        }

        try
        {
            foreach (var endpoint in JsonSerializer.Deserialize<List<ServiceEndpoint>>(File.ReadAllBytes(_memoryFile), StoreJson.Options) ?? [])
            {
                _remembered[endpoint.Key] = endpoint;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            // unreadable: start without memory (the sidecars register again within seconds)
        }

        return _remembered.Count;
    }

    private void EndWarmUp()
    {
        _warming = false;
        if (!_remembered.IsEmpty)
        {
            _remembered.Clear();
            MarkDirty();
        }

        Changed?.Invoke(); // recompile without the sidecars that did not come back
    }

    private void MarkDirty() => Volatile.Write(ref _dirty, 1);

    /// <summary>Adds the remembered sidecars that have not registered again (while warming up).</summary>
    private void AddRemembered(Dictionary<string, ServiceEndpoint> all)
    {
        if (!_warming)
        {
            return;
        }

        foreach (var (key, endpoint) in _remembered)
        {
            all.TryAdd(key, endpoint);
        }
    }

    /// <summary>True for a shared registration that expired shortly before this replica started, during the warm-up.</summary>
    private bool RememberedShared(ServiceEndpoint endpoint, DateTimeOffset now) =>
        _warming && now - _startedAt < _warmUp && endpoint.ExpiresAt > _startedAt - _warmUp;
}
