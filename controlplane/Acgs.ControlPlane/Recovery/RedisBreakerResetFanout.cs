// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.ControlPlane.Replication;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Recovery;

/// <summary>
/// With Redis, a breaker reset reaches the sidecars of every replica: it is pushed to this replica's sidecars (the inner
/// publisher) and published to the other replicas (<see cref="RedisReplicaFanout"/>, channel <c>&lt;prefix&gt;recovery:resets</c>),
/// each of which pushes it to its own sidecars. A reset lost while Redis is away is not replayed (breakers then recover
/// through their own half-open trial). The count returned is this replica's sidecars only.
/// </summary>
internal sealed partial class RedisBreakerResetFanout : IBreakerResetPublisher, IHostedService
{
    /// <summary>The channel name after the Redis prefix.</summary>
    public const string Channel = "recovery:resets";

    private readonly RedisReplicaFanout _fanout;
    private readonly IBreakerResetPublisher _local;
    private readonly ILogger<RedisBreakerResetFanout> _logger;
    private readonly Action<Exception> _failed;

    public RedisBreakerResetFanout(RedisReplicaFanout fanout, IBreakerResetPublisher local, ILogger<RedisBreakerResetFanout> logger)
    {
        _fanout = fanout;
        _local = local;
        _logger = logger;
        _failed = LogRedisFailed;
    }

    /// <summary>Resets received from other replicas and pushed here.</summary>
    public int Relayed { get; private set; }

    public int Publish(BreakerReset reset)
    {
        ArgumentNullException.ThrowIfNull(reset);
        var sent = _local.Publish(reset);
        _fanout.Publish(Channel, new RecoveryResetMessage(_fanout.Origin, reset), _failed);
        return sent;
    }

    public Task StartAsync(CancellationToken cancellationToken) => _fanout.SubscribeAsync<RecoveryResetMessage>(Channel, OnMessage, _failed);

    public Task StopAsync(CancellationToken cancellationToken) => _fanout.UnsubscribeAsync(Channel, _failed);

    private void OnMessage(RecoveryResetMessage received)
    {
        if (received.Reset is not { } reset || string.IsNullOrEmpty(reset.Id) || reset.Clusters.IsDefaultOrEmpty)
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
