// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.ControlPlane.Store;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Replication;

/// <summary>
/// The one way control-plane replicas on one Redis tell each other things: a message published on
/// <c>&lt;prefix&gt;&lt;channel&gt;</c> (JSON, fire-and-forget) reaches every other replica subscribed to that channel; a
/// replica never receives its own (<see cref="IReplicaMessage.Origin"/>), and an unreadable message is dropped. A message lost
/// while Redis is away is not replayed: each user covers that its own way (the distribution's revision poll, a breaker's
/// own half-open trial). The multiplexer re-subscribes when Redis comes back. Used by the distribution's change bus
/// (<c>events</c>) and the recovery's breaker resets (<c>recovery:resets</c>). Failures go to the caller's log event.
/// </summary>
internal sealed class RedisReplicaFanout
{
    private readonly IConnectionMultiplexer _redis;
    private readonly string _prefix;

    /// <summary>Creates the fan-out of replica <paramref name="replicaId"/> on channels named <paramref name="prefix"/> + name.</summary>
    public RedisReplicaFanout(IConnectionMultiplexer redis, string prefix, string replicaId)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(prefix);
        _redis = redis;
        _prefix = prefix;
        Origin = replicaId + "/" + Guid.NewGuid().ToString("N");
    }

    /// <summary>This process's origin: the replica id and a random suffix (two processes with one id still tell themselves apart).</summary>
    public string Origin { get; }

    /// <summary>Publishes <paramref name="message"/> on <paramref name="channel"/>; false (after <paramref name="onFailure"/>) when Redis refused it.</summary>
    public bool Publish<T>(string channel, T message, Action<Exception> onFailure)
        where T : IReplicaMessage
    {
        ArgumentNullException.ThrowIfNull(onFailure);
        try
        {
            _ = _redis.GetSubscriber().PublishAsync(Channel(channel), JsonSerializer.SerializeToUtf8Bytes(message, StoreJson.Options), CommandFlags.FireAndForget);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            onFailure(ex);
            return false;
        }
    }

    /// <summary>Hands every other replica's message on <paramref name="channel"/> to <paramref name="onMessage"/> (on a Redis thread).</summary>
    public async Task SubscribeAsync<T>(string channel, Action<T> onMessage, Action<Exception> onFailure)
        where T : class, IReplicaMessage
    {
        ArgumentNullException.ThrowIfNull(onMessage);
        ArgumentNullException.ThrowIfNull(onFailure);
        try
        {
            await _redis.GetSubscriber().SubscribeAsync(Channel(channel), (_, value) => Deliver(value, onMessage)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            onFailure(ex);
        }
    }

    /// <summary>Stops listening on <paramref name="channel"/>.</summary>
    public async Task UnsubscribeAsync(string channel, Action<Exception> onFailure)
    {
        ArgumentNullException.ThrowIfNull(onFailure);
        try
        {
            await _redis.GetSubscriber().UnsubscribeAsync(Channel(channel)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            onFailure(ex);
        }
    }

    private RedisChannel Channel(string name) => RedisChannel.Literal(_prefix + name);

    private void Deliver<T>(RedisValue value, Action<T> onMessage)
        where T : class, IReplicaMessage
    {
        T? message;
        try
        {
            message = JsonSerializer.Deserialize<T>((byte[])value!, StoreJson.Options);
        }
        catch (JsonException)
        {
            return;
        }

        if (message is not null && !string.Equals(message.Origin, Origin, StringComparison.Ordinal))
        {
            onMessage(message);
        }
    }
}
