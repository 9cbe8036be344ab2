// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.Contracts.Config;
using Acgs.ControlPlane.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Recovery;

/// <summary>
/// With Redis, a breaker reset reaches the sidecars of every replica: it is pushed to this replica's sidecars (the inner
/// publisher) and published on <c>&lt;prefix&gt;recovery:resets</c>; every other replica pushes it to its own sidecars.
/// Fire-and-forget like the change bus: a reset lost while Redis is away is not replayed (breakers then recover through
/// their own half-open trial). The count returned is this replica's sidecars only.
/// </summary>
internal sealed partial class RedisBreakerResetFanout : IBreakerResetPublisher, IHostedService
{
    private readonly IConnectionMultiplexer _redis;
    private readonly IBreakerResetPublisher _local;
    private readonly ILogger<RedisBreakerResetFanout> _logger;
    private readonly RedisChannel _channel;
    private readonly string _origin;

    public RedisBreakerResetFanout(IConnectionMultiplexer redis, IBreakerResetPublisher local, string prefix, string replicaId, ILogger<RedisBreakerResetFanout> logger)
    {
        _redis = redis;
        _local = local;
        _logger = logger;
        _channel = RedisChannel.Literal(prefix + "recovery:resets");
        _origin = replicaId + "/" + Guid.NewGuid().ToString("N");
    }

    /// <summary>Resets received from other replicas and pushed here.</summary>
    public int Relayed { get; private set; }

    public int Publish(BreakerReset reset)
    {
        ArgumentNullException.ThrowIfNull(reset);
        var sent = _local.Publish(reset);
        try
        {
            var payload = JsonSerializer.SerializeToUtf8Bytes(new RecoveryResetMessage(_origin, reset), StoreJson.Options);
            _ = _redis.GetSubscriber().PublishAsync(_channel, payload, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogRedisFailed(ex);
        }

        return sent;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _redis.GetSubscriber().SubscribeAsync(_channel, (_, message) => OnMessage(message)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The multiplexer re-subscribes when Redis comes back.
            LogRedisFailed(ex);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _redis.GetSubscriber().UnsubscribeAsync(_channel).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogRedisFailed(ex);
        }
    }

    private void OnMessage(RedisValue message)
    {
        RecoveryResetMessage? received;
        try
        {
            received = JsonSerializer.Deserialize<RecoveryResetMessage>((byte[])message!, StoreJson.Options);
        }
        catch (JsonException)
        {
            return;
        }

        if (received?.Reset is not { } reset || received.Origin == _origin || string.IsNullOrEmpty(reset.Id) || reset.Clusters.IsDefaultOrEmpty)
        {
            return;
        }

        var sent = _local.Publish(reset);
        Relayed++;
        LogRelayed(reset.Id, sent);
    }

    [LoggerMessage(5620, LogLevel.Warning, "[cdd01ef066bc6cf2] the recovery reset channel on Redis is unavailable; resets reach only this replica's sidecars")]
    private partial void LogRedisFailed(Exception exception);

    [LoggerMessage(5621, LogLevel.Information, "[cdd01ef066bc6cf2] breaker reset {Id} from another replica pushed to {Sidecars} sidecar(s)")]
    private partial void LogRelayed(string id, int sidecars);
}
