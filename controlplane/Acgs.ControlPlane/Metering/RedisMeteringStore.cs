// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.Contracts.Metering;
using Acgs.Contracts.Serialization;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Metering;

/// <summary>
/// Metering windows in Redis, shared by every replica: each window is the string <c>&lt;prefix&gt;metering:w:&lt;id&gt;</c>
/// (JSON, set with NX and an expiry of the retention, so a resent window is stored once mesh-wide) and a member of the
/// sorted set <c>&lt;prefix&gt;metering:index</c> scored by its start; index entries past the retention are trimmed on add.
/// </summary>
internal sealed class RedisMeteringStore : IMeteringStore
{
    private readonly IConnectionMultiplexer _connection;
    private readonly string _prefix;
    private readonly RedisKey _index;
    private readonly TimeProvider _time;
    private readonly TimeSpan _retention;

    public RedisMeteringStore(IConnectionMultiplexer connection, string keyPrefix, TimeProvider time, MeteringStoreOptions options)
    {
        _connection = connection;
        _prefix = keyPrefix + "metering:w:";
        _index = keyPrefix + "metering:index";
        _time = time;
        _retention = options.Retention;
    }

    private IDatabase Database => _connection.GetDatabase();

    public async Task<int> AddAsync(IReadOnlyList<MeteringWindow> windows, CancellationToken cancellationToken)
    {
        var database = Database;
        var added = 0;
        foreach (var window in windows)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(window, AcgsJsonContext.Default.MeteringWindow);
            if (await database.StringSetAsync(_prefix + window.Id, json, _retention, When.NotExists).ConfigureAwait(false))
            {
                added++;
            }

            await database.SortedSetAddAsync(_index, window.Id, window.StartUnixMs).ConfigureAwait(false);
        }

        var oldest = (_time.GetUtcNow() - _retention).ToUnixTimeMilliseconds();
        await database.SortedSetRemoveRangeByScoreAsync(_index, double.NegativeInfinity, oldest, Exclude.Stop).ConfigureAwait(false);
        return added;
    }

    public async Task<IReadOnlyList<MeteringWindow>> QueryAsync(string? service, long fromUnixMs, long toUnixMs, CancellationToken cancellationToken)
    {
        var database = Database;
        var ids = await database.SortedSetRangeByScoreAsync(_index, fromUnixMs, toUnixMs, Exclude.Stop).ConfigureAwait(false);
        var result = new List<MeteringWindow>(ids.Length);
        for (var start = 0; start < ids.Length; start += 256)
        {
            var keys = new RedisKey[Math.Min(256, ids.Length - start)];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = _prefix + ids[start + i].ToString();
            }

            foreach (var value in await database.StringGetAsync(keys).ConfigureAwait(false))
            {
                if (!value.IsNull && JsonSerializer.Deserialize((byte[])value!, AcgsJsonContext.Default.MeteringWindow) is { } window
                    && (service is null || window.Service == service))
                {
                    result.Add(window);
                }
            }
        }

        return result;
    }
}
