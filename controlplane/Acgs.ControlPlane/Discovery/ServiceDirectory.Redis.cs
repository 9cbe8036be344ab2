// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.ControlPlane.Store;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Discovery;

/// <summary>The directory's shared half in Redis: registrations with an expiry refreshed by their replica, agent reports.</summary>
internal sealed partial class ServiceDirectory
{
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

    private async Task AddSharedAsync(Dictionary<string, ServiceEndpoint> all, Dictionary<string, AgentReport> reports)
    {
        try
        {
            var now = _time.GetUtcNow();
            foreach (var entry in await _redis!.GetDatabase().HashGetAllAsync(_key).ConfigureAwait(false))
            {
                var endpoint = JsonSerializer.Deserialize<ServiceEndpoint>((byte[])entry.Value!, StoreJson.Options);
                if (endpoint is not null && (endpoint.ExpiresAt > now || RememberedShared(endpoint, now)))
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
