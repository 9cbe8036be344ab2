// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.Contracts.Discovery;
using Acgs.ControlPlane.Discovery;
using Acgs.ControlPlane.Hosting;
using Acgs.ControlPlane.Policies;
using Acgs.ControlPlane.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Distribution;

/// <summary>
/// Fan-out between replicas on one Redis: every committed change, discovery change and stray ACK is
/// published on <c>&lt;prefix&gt;events</c>; every replica rebuilds (and so pushes to its own sidecars)
/// when another replica's event arrives. Lost messages are covered by <see cref="DistributionService"/>'s revision poll.
/// </summary>
internal sealed class RedisChangeBus : IPolicyChangeListener, IHostedService
{
    private readonly IConnectionMultiplexer _redis;
    private readonly DistributionHub _hub;
    private readonly ServiceDirectory _directory;
    private readonly ILogger<RedisChangeBus> _logger;
    private readonly RedisChannel _channel;
    private readonly string _origin;

    public RedisChangeBus(IConnectionMultiplexer redis, DistributionHub hub, ServiceDirectory directory, ControlPlaneOptions options, ILogger<RedisChangeBus> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _hub = hub;
        _directory = directory;
        _logger = logger;
        _channel = RedisChannel.Literal(options.RedisKeyPrefix + "events");
        _origin = options.ReplicaId + "/" + Guid.NewGuid().ToString("N");
    }

    public void OnPolicyChanged(PolicyChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Publish(new BusEvent("change", _origin, change.At, null));
    }

    /// <summary>Hands an ACK for a sidecar connected elsewhere to the other replicas.</summary>
    public void RelayAck(SnapshotAck ack) => Publish(new BusEvent("ack", _origin, null, ack));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _directory.Changed += OnDirectoryChanged;
        try
        {
            await _redis.GetSubscriber().SubscribeAsync(_channel, (_, message) => OnMessage(message)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The multiplexer re-subscribes when Redis comes back; until then the revision poll covers changes.
            DistributionLog.BusFailed(_logger, ex);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _directory.Changed -= OnDirectoryChanged;
        try
        {
            await _redis.GetSubscriber().UnsubscribeAsync(_channel).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            DistributionLog.BusFailed(_logger, ex);
        }
    }

    private void OnDirectoryChanged() => Publish(new BusEvent("discovery", _origin, null, null));

    private void OnMessage(RedisValue message)
    {
        BusEvent? bus;
        try
        {
            bus = JsonSerializer.Deserialize<BusEvent>((byte[])message!, StoreJson.Options);
        }
        catch (JsonException)
        {
            return;
        }

        if (bus is null || bus.Origin == _origin)
        {
            return;
        }

        if (bus.Type == "ack" && bus.Ack is { } ack)
        {
            _hub.Acknowledge(ack);
        }
        else
        {
            _hub.RequestRebuild(bus.At);
        }
    }

    private void Publish(BusEvent bus)
    {
        try
        {
            _ = _redis.GetSubscriber().PublishAsync(_channel, JsonSerializer.SerializeToUtf8Bytes(bus, StoreJson.Options), CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            DistributionLog.BusFailed(_logger, ex);
        }
    }
}
