// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Discovery;
using Acgs.ControlPlane.Discovery;
using Acgs.ControlPlane.Policies;
using Acgs.ControlPlane.Replication;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Distribution;

/// <summary>
/// Fan-out between replicas on one Redis (<see cref="RedisReplicaFanout"/>, channel <c>&lt;prefix&gt;events</c>): every
/// committed change, discovery change and stray ACK is published; every replica rebuilds (and so pushes to its own
/// sidecars) when another replica's event arrives. Lost messages are covered by <see cref="DistributionService"/>'s revision poll.
/// </summary>
internal sealed class RedisChangeBus : IPolicyChangeListener, IHostedService
{
    /// <summary>The channel name after the Redis prefix.</summary>
    public const string Channel = "events";

    private readonly RedisReplicaFanout _fanout;
    private readonly DistributionHub _hub;
    private readonly ServiceDirectory _directory;
    private readonly Action<Exception> _failed;

    public RedisChangeBus(RedisReplicaFanout fanout, DistributionHub hub, ServiceDirectory directory, ILogger<RedisChangeBus> logger)
    {
        _fanout = fanout;
        _hub = hub;
        _directory = directory;
        _failed = ex => DistributionLog.BusFailed(logger, ex);
    }

    public void OnPolicyChanged(PolicyChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _fanout.Publish(Channel, new BusEvent("change", _fanout.Origin, change.At, null), _failed);
    }

    /// <summary>Hands an ACK for a sidecar connected elsewhere to the other replicas.</summary>
    public void RelayAck(SnapshotAck ack) => _fanout.Publish(Channel, new BusEvent("ack", _fanout.Origin, null, ack), _failed);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _directory.Changed += OnDirectoryChanged;

        // Until the multiplexer (re-)subscribes, the revision poll covers changes.
        await _fanout.SubscribeAsync<BusEvent>(Channel, OnMessage, _failed).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _directory.Changed -= OnDirectoryChanged;
        await _fanout.UnsubscribeAsync(Channel, _failed).ConfigureAwait(false);
    }

    private void OnDirectoryChanged() => _fanout.Publish(Channel, new BusEvent("discovery", _fanout.Origin, null, null), _failed);

    private void OnMessage(BusEvent bus)
    {
        if (bus.Type == "ack" && bus.Ack is { } ack)
        {
            _hub.Acknowledge(ack);
        }
        else
        {
            _hub.RequestRebuild(bus.At);
        }
    }
}
