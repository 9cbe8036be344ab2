// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Text.Json;
using Acgs.ControlPlane.Hosting;
using Acgs.ControlPlane.Store;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Discovery;

/// <summary>
/// Which sidecars exist. Each replica knows its own (they hold its watch streams); with Redis, every
/// registration is also written to the hash <c>&lt;prefix&gt;endpoints</c> with an expiry that the owning
/// replica refreshes (<see cref="RefreshAsync"/>), so every replica sees every sidecar and a crashed
/// replica's sidecars disappear after <see cref="Ttl"/>. Agent reports (a sidecar's bus address and
/// connected agents) are kept beside the registrations (with Redis in the hash <c>&lt;prefix&gt;agents</c>)
/// and joined onto them by <see cref="ListAsync"/>; a report that changes something raises <see cref="Changed"/>.
/// What the directory knew survives a restart (ServiceDirectory.Memory.cs): served until the sidecars are back or the
/// warm-up ends.
/// </summary>
internal sealed partial class ServiceDirectory
{
    /// <summary>How long a shared registration lives without a refresh.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, ServiceEndpoint> _local = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AgentReport> _reports = new(StringComparer.Ordinal);
    private readonly IConnectionMultiplexer? _redis;
    private readonly RedisKey _key;
    private readonly RedisKey _agentsKey;
    private readonly RedisKey _tokenKey;
    private readonly TimeProvider _time;
    private readonly string _replica;

    /// <summary>
    /// Creates the directory; with <paramref name="memoryFile"/> (the embedded store) what it knows is kept in that file
    /// and read back at start, with <paramref name="redis"/> the shared hashes keep it.
    /// </summary>
    public ServiceDirectory(ControlPlaneOptions options, TimeProvider time, IConnectionMultiplexer? redis = null, string? memoryFile = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _key = options.RedisKeyPrefix + "endpoints";
        _agentsKey = options.RedisKeyPrefix + "agents";
        _tokenKey = options.RedisKeyPrefix + "directory:token";
        _time = time;
        _replica = options.ReplicaId;
        _memoryFile = memoryFile;
        _warmUp = options.DiscoveryWarmUp;
        _startedAt = time.GetUtcNow();
        StartMemory();
    }

    /// <summary>Raised after a local registration changes.</summary>
    public event Action? Changed;

    /// <summary>Registers (or replaces) a sidecar of this replica.</summary>
    public async Task RegisterAsync(string service, string node, string address)
    {
        var endpoint = new ServiceEndpoint { ServiceName = service, NodeId = node, Address = address, Replica = _replica, ExpiresAt = _time.GetUtcNow() + Ttl };
        _local[endpoint.Key] = endpoint;
        _remembered.TryRemove(endpoint.Key, out _);
        MarkDirty();
        if (_redis is not null)
        {
            await WriteSharedAsync(tx => tx.HashSetAsync(_key, endpoint.Key, JsonSerializer.SerializeToUtf8Bytes(endpoint, StoreJson.Options))).ConfigureAwait(false);
        }

        Changed?.Invoke();
    }

    /// <summary>Removes a sidecar of this replica (its stream ended).</summary>
    public async Task UnregisterAsync(string service, string node)
    {
        var key = service + "|" + node;
        if (!_local.TryRemove(key, out _))
        {
            return;
        }

        _reports.TryRemove(key, out _);
        MarkDirty();
        if (_redis is not null)
        {
            await WriteSharedAsync(tx => Task.WhenAll(tx.HashDeleteAsync(_key, key), tx.HashDeleteAsync(_agentsKey, key))).ConfigureAwait(false);
        }

        Changed?.Invoke();
    }

    /// <summary>
    /// Records a sidecar's agent report (sorted, deduplicated); raises <see cref="Changed"/> (so every service
    /// is recompiled and pushed) only when the address or the agents differ from the previous report.
    /// Returns true when something changed.
    /// </summary>
    public async Task<bool> ReportAgentsAsync(string service, string node, string busAddress, IEnumerable<string> agents)
    {
        var sorted = new SortedSet<string>(agents, StringComparer.Ordinal);
        var report = new AgentReport { ServiceName = service, NodeId = node, BusAddress = busAddress, Agents = [.. sorted] };
        var changed = true;
        _reports.AddOrUpdate(report.Key, report, (_, previous) =>
        {
            changed = !report.SameAs(previous);
            return report;
        });
        if (!changed)
        {
            return false;
        }

        MarkDirty();
        if (_redis is not null)
        {
            await WriteSharedAsync(tx => tx.HashSetAsync(_agentsKey, report.Key, JsonSerializer.SerializeToUtf8Bytes(report, StoreJson.Options))).ConfigureAwait(false);
        }

        Changed?.Invoke();
        return true;
    }

    /// <summary>Every live sidecar: this replica's, plus (with Redis) every unexpired shared registration.</summary>
    public async Task<IReadOnlyCollection<ServiceEndpoint>> ListAsync()
    {
        var all = new Dictionary<string, ServiceEndpoint>(_local, StringComparer.Ordinal);
        var reports = new Dictionary<string, AgentReport>(_reports, StringComparer.Ordinal);
        if (_redis is not null)
        {
            await AddSharedAsync(all, reports).ConfigureAwait(false);
        }

        AddRemembered(all);
        if (reports.Count == 0)
        {
            return all.Values;
        }

        var joined = new List<ServiceEndpoint>(all.Count);
        foreach (var endpoint in all.Values)
        {
            joined.Add(reports.TryGetValue(endpoint.Key, out var report)
                ? endpoint with { BusAddress = report.BusAddress, Agents = report.Agents }
                : endpoint);
        }

        return joined;
    }
}
