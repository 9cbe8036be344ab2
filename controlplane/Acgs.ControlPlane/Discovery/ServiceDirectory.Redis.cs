// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.ControlPlane.Store;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Discovery;

/// <summary>The directory's shared half in Redis: registrations with an expiry refreshed by their replica, agent reports.</summary>
internal sealed partial class ServiceDirectory
{
    /// <summary>
    /// The shared registrations as last read: field → (its bytes, the registration parsed from them). Replaced whole on each
    /// read; an entry whose bytes are unchanged reuses its parse (a rebuild reads the whole directory, most of it unchanged).
    /// </summary>
    private Dictionary<string, (byte[] Bytes, ServiceEndpoint Endpoint)> _sharedParsed = new(StringComparer.Ordinal);

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
        // Both hashes are asked for at once (one round trip's wait, not two).
        var database = _redis!.GetDatabase();
        var endpointsRead = database.HashGetAllAsync(_key);
        var reportsRead = database.HashGetAllAsync(_agentsKey);
        try
        {
            var now = _time.GetUtcNow();
            var known = Volatile.Read(ref _sharedParsed);
            var parsed = new Dictionary<string, (byte[] Bytes, ServiceEndpoint Endpoint)>(known.Count, StringComparer.Ordinal);
            foreach (var entry in await endpointsRead.ConfigureAwait(false))
            {
                var field = (string)entry.Name!;
                var bytes = (byte[])entry.Value!;
                ServiceEndpoint? endpoint;
                if (field is not null && known.TryGetValue(field, out var before) && before.Bytes.AsSpan().SequenceEqual(bytes))
                {
                    endpoint = before.Endpoint; // the same bytes as last read: the same (immutable) registration, not parsed again
                }
                else
                {
                    try
                    {
                        endpoint = JsonSerializer.Deserialize<ServiceEndpoint>(bytes, StoreJson.Options);
                    }
                    catch (JsonException)
                    {
                        continue; // an unreadable entry is left out, never the whole directory
                    }
                }

                if (endpoint is null)
                {
                    continue;
                }

                if (field is not null)
                {
                    parsed[field] = (bytes, endpoint);
                }

                if (endpoint.ExpiresAt > now || RememberedShared(endpoint, now))
                {
                    all.TryAdd(endpoint.Key, endpoint);
                }
            }

            Volatile.Write(ref _sharedParsed, parsed);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Redis is down: serve what this replica knows; the next refresh repairs the shared view.
            _ = reportsRead.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default); // observed, not awaited
            return;
        }

        try
        {
            foreach (var entry in await reportsRead.ConfigureAwait(false))
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
