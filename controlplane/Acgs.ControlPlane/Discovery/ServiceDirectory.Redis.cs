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

    /// <summary>
    /// The last whole read of both shared hashes and the change token it was taken under (<see cref="SharedRead"/>), or null.
    /// </summary>
    private SharedRead? _lastRead;

    /// <summary>
    /// How long a whole read is reused while the change token stays the same: a bound on how late a write that did not
    /// replace the token (a replica of an older version) is seen.
    /// </summary>
    public static readonly TimeSpan SharedReadReuse = TimeSpan.FromSeconds(10);

    /// <summary>How many times the shared hashes were read whole, and how many reads reused the last one (the token unchanged).</summary>
    public (long Whole, long Reused) SharedReads => (Interlocked.Read(ref _wholeReads), Interlocked.Read(ref _reusedReads));

    private long _wholeReads;
    private long _reusedReads;

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
            await WriteSharedAsync(tx => tx.HashSetAsync(_key, [.. entries])).ConfigureAwait(false);
        }
    }

    private async Task AddSharedAsync(Dictionary<string, ServiceEndpoint> all, Dictionary<string, AgentReport> reports)
    {
        // The change token first: while it is the one the last whole read was taken under (and that read is recent), nothing
        // was written to either hash since, and the read is reused; expiry is still judged now.
        var database = _redis!.GetDatabase();
        var now = _time.GetUtcNow();
        RedisValue token;
        try
        {
            token = await database.StringGetAsync(_tokenKey).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return; // Redis is down: serve what this replica knows; the next refresh repairs the shared view.
        }

        if (Volatile.Read(ref _lastRead) is { } last && !token.IsNull && last.Token == token && now - last.At < SharedReadReuse && now >= last.At)
        {
            Interlocked.Increment(ref _reusedReads);
            foreach (var endpoint in last.Endpoints)
            {
                AddLive(all, endpoint, now);
            }

            foreach (var report in last.Reports)
            {
                reports.TryAdd(report.Key, report);
            }

            return;
        }

        Interlocked.Increment(ref _wholeReads);
        var read = await ReadSharedAsync(database, token, all, reports, now).ConfigureAwait(false);
        Volatile.Write(ref _lastRead, token.IsNull ? null : read);
    }

    /// <summary>Reads both hashes whole into <paramref name="all"/> and <paramref name="reports"/>; what was read (for reuse), or null when a part failed.</summary>
    private async Task<SharedRead?> ReadSharedAsync(IDatabase database, RedisValue token, Dictionary<string, ServiceEndpoint> all, Dictionary<string, AgentReport> reports, DateTimeOffset now)
    {
        // Both hashes are asked for at once (one round trip's wait, not two).
        var endpointsRead = database.HashGetAllAsync(_key);
        var reportsRead = database.HashGetAllAsync(_agentsKey);
        var endpoints = new List<ServiceEndpoint>();
        var complete = true;
        try
        {
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
                        continue; // an unreadable entry is left out, never the whole directory (and stays out while reused)
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

                endpoints.Add(endpoint);
                AddLive(all, endpoint, now);
            }

            Volatile.Write(ref _sharedParsed, parsed);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Redis is down: serve what this replica knows; the next refresh repairs the shared view.
            _ = reportsRead.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default); // observed, not awaited
            return null;
        }

        var read = new List<AgentReport>();
        try
        {
            foreach (var entry in await reportsRead.ConfigureAwait(false))
            {
                var report = JsonSerializer.Deserialize<AgentReport>((byte[])entry.Value!, StoreJson.Options);
                if (report is not null)
                {
                    reports.TryAdd(report.Key, report);
                    read.Add(report);
                }
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or JsonException)
        {
            // Redis is down or an entry is unreadable: this replica's own reports still count (and the next read is whole).
            complete = false;
        }

        return complete ? new SharedRead(token, now, endpoints, read) : null;
    }

    /// <summary>
    /// Writes to the shared hashes in one transaction with a new change token (<c>&lt;prefix&gt;directory:token</c>), so a
    /// reader that finds the token it last read under knows neither hash changed since.
    /// </summary>
    private Task WriteSharedAsync(Func<ITransaction, Task> write) => TryRedisAsync(async db =>
    {
        var transaction = db.CreateTransaction();
        var queued = Task.WhenAll(write(transaction), transaction.StringSetAsync(_tokenKey, Guid.NewGuid().ToString("N")));
        _ = queued.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default); // observed: EXEC's outcome is what counts
        await transaction.ExecuteAsync().ConfigureAwait(false);
    });

    /// <summary>Lists <paramref name="endpoint"/> when it is live now (unexpired, or remembered through the warm-up).</summary>
    private void AddLive(Dictionary<string, ServiceEndpoint> all, ServiceEndpoint endpoint, DateTimeOffset now)
    {
        if (endpoint.ExpiresAt > now || RememberedShared(endpoint, now))
        {
            all.TryAdd(endpoint.Key, endpoint);
        }
    }

    /// <summary>A whole read of the shared hashes: the change token it was taken under, when, every readable registration (expired ones too) and report.</summary>
    private sealed record SharedRead(RedisValue Token, DateTimeOffset At, List<ServiceEndpoint> Endpoints, List<AgentReport> Reports);

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
