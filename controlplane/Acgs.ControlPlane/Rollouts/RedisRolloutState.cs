// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.ControlPlane.Store;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>
/// The rollouts shared by control-plane replicas on one Redis: one key (<c>&lt;prefix&gt;rollouts</c>, the same JSON as
/// <see cref="RolloutStateFile"/>) written by the leader after every change and loaded by a replica when it takes the lead.
/// An unreadable value is renamed to <c>&lt;prefix&gt;rollouts:unreadable</c>. Redis failures surface as <see cref="IOException"/>.
/// </summary>
internal sealed class RedisRolloutState : IRolloutStateStore
{
    /// <summary>The key after the Redis prefix.</summary>
    public const string Key = "rollouts";

    private readonly IConnectionMultiplexer _redis;
    private readonly string _key;

    public RedisRolloutState(IConnectionMultiplexer redis, string prefix)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(prefix);
        _redis = redis;
        _key = prefix + Key;
    }

    /// <inheritdoc/>
    public bool Enabled => true;

    /// <inheritdoc/>
    public bool Shared => true;

    /// <inheritdoc/>
    public string? Location => "redis key " + _key;

    /// <inheritdoc/>
    public RolloutState? Load(out string? error)
    {
        error = null;
        RedisValue value;
        try
        {
            value = _redis.GetDatabase().StringGet(_key);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            error = "Redis: " + ex.Message;
            return null;
        }

        if (value.IsNullOrEmpty)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<RolloutState>((byte[])value!, StoreJson.Options);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            error = ex.Message;
            try
            {
                _redis.GetDatabase().KeyRename(_key, _key + ":unreadable");
            }
            catch (Exception redis) when (redis is RedisException or TimeoutException)
            {
                error += "; not moved aside: " + redis.Message;
            }

            return null;
        }
    }

    /// <inheritdoc/>
    public async Task SaveAsync(RolloutState state, CancellationToken cancellationToken)
    {
        try
        {
            await _redis.GetDatabase().StringSetAsync(_key, JsonSerializer.SerializeToUtf8Bytes(state, StoreJson.Options)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new IOException("Redis refused the rollout state: " + ex.Message, ex);
        }
    }
}
