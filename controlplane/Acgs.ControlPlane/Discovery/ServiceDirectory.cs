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
/// </summary>
internal sealed class ServiceDirectory
{
    /// <summary>How long a shared registration lives without a refresh.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, ServiceEndpoint> _local = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AgentReport> _reports = new(StringComparer.Ordinal);
    private readonly IConnectionMultiplexer? _redis;
    private readonly RedisKey _key;
    private readonly RedisKey _agentsKey;
    private readonly TimeProvider _time;
    private readonly string _replica;

    public ServiceDirectory(ControlPlaneOptions options, TimeProvider time, IConnectionMultiplexer? redis = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _key = options.RedisKeyPrefix + "endpoints";
        _agentsKey = options.RedisKeyPrefix + "agents";
        _time = time;
        _replica = options.ReplicaId;
    }

    /// <summary>Raised after a local registration changes.</summary>
    public event Action? Changed;

    /// <summary>Registers (or replaces) a sidecar of this replica.</summary>
    public async Task RegisterAsync(string service, string node, string address)
    {
        var endpoint = new ServiceEndpoint { ServiceName = service, NodeId = node, Address = address, Replica = _replica, ExpiresAt = _time.GetUtcNow() + Ttl };
        _local[endpoint.Key] = endpoint;
        if (_redis is not null)
        {
            await TryRedisAsync(db => db.HashSetAsync(_key, endpoint.Key, JsonSerializer.SerializeToUtf8Bytes(endpoint, StoreJson.Options))).ConfigureAwait(false);
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
        if (_redis is not null)
        {
            await TryRedisAsync(db => db.HashDeleteAsync(_key, key)).ConfigureAwait(false);
            await TryRedisAsync(db => db.HashDeleteAsync(_agentsKey, key)).ConfigureAwait(false);
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

        if (_redis is not null)
        {
            await TryRedisAsync(db => db.HashSetAsync(_agentsKey, report.Key, JsonSerializer.SerializeToUtf8Bytes(report, StoreJson.Options))).ConfigureAwait(false);
        }

        Changed?.Invoke();
        return true;
    }

    /// <summary>Rewrites this replica's registrations with a fresh expiry and drops expired ones of others.</summary>
    public async Task RefreshAsync()
    {
        if (_redis is null)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var entries = new List<HashEntry>();
        foreach (var endpoint in _local.Values)
        {
            entries.Add(new HashEntry(endpoint.Key, JsonSerializer.SerializeToUtf8Bytes(endpoint with { ExpiresAt = now + Ttl }, StoreJson.Options)));
        }

        if (entries.Count > 0)
        {
            await TryRedisAsync(db => db.HashSetAsync(_key, [.. entries])).ConfigureAwait(false);
        }
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

    private async Task AddSharedAsync(Dictionary<string, ServiceEndpoint> all, Dictionary<string, AgentReport> reports)
    {

        try
        {
            var now = _time.GetUtcNow();
            foreach (var entry in await _redis!.GetDatabase().HashGetAllAsync(_key).ConfigureAwait(false))
            {
                var endpoint = JsonSerializer.Deserialize<ServiceEndpoint>((byte[])entry.Value!, StoreJson.Options);
                if (endpoint is not null && endpoint.ExpiresAt > now)
                {
                    all.TryAdd(endpoint.Key, endpoint);
                }
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Redis is down: serve what this replica knows; the next refresh repairs the shared view.
            return;
        }

        try
        {
            foreach (var entry in await _redis!.GetDatabase().HashGetAllAsync(_agentsKey).ConfigureAwait(false))
            {
                var report = JsonSerializer.Deserialize<AgentReport>((byte[])entry.Value!, StoreJson.Options);
                if (report is not null)
                {
                    reports.TryAdd(report.Key, report);
                }
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or JsonException)
        {
            // Redis is down or an entry is unreadable: this replica's own reports still count.
        }
    }

    private async Task TryRedisAsync(Func<IDatabase, Task> action)
    {
        try
        {
            await action(_redis!.GetDatabase()).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Redis down: the local view still works; RefreshAsync rewrites everything once it is back.
        }
    }
}
