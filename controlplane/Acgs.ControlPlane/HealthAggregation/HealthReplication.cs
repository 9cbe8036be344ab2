// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Health;
using Acgs.ControlPlane.Replication;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary>
/// With Redis, every replica aggregates the health of every sidecar, whichever replica the sidecar reports to: an accepted
/// report or deregistration is applied here and published to the other replicas (<see cref="RedisReplicaFanout"/>, channel
/// <c>&lt;prefix&gt;health:reports</c>), each of which applies it to its own <see cref="HealthAggregator"/>. So the leader,
/// which runs recovery, sees the whole mesh, and a health read answers the same on any replica. A message lost while
/// Redis is away is repaired by the sidecar's next report (every report interval); a replica that starts sees the whole
/// mesh after one interval. Messages that fail validation here are dropped and counted in the log.
/// </summary>
internal sealed partial class HealthReplication : IHostedService
{
    /// <summary>The channel name after the Redis prefix.</summary>
    public const string Channel = "health:reports";

    private readonly RedisReplicaFanout _fanout;
    private readonly HealthAggregator _aggregator;
    private readonly ILogger<HealthReplication> _logger;
    private readonly Action<Exception> _failed;

    public HealthReplication(RedisReplicaFanout fanout, HealthAggregator aggregator, ILogger<HealthReplication> logger)
    {
        _fanout = fanout;
        _aggregator = aggregator;
        _logger = logger;
        _failed = LogRedisFailed;
    }

    /// <summary>Publishes a report this replica accepted.</summary>
    public void Reported(string service, string node, HealthReport report) =>
        _fanout.Publish(Channel, new HealthReportMessage(_fanout.Origin, service, node, report), _failed);

    /// <summary>Publishes a deregistration this replica accepted.</summary>
    public void Forgotten(string service, string node) =>
        _fanout.Publish(Channel, new HealthReportMessage(_fanout.Origin, service, node, null), _failed);

    public Task StartAsync(CancellationToken cancellationToken) => _fanout.SubscribeAsync<HealthReportMessage>(Channel, OnMessage, _failed);

    public Task StopAsync(CancellationToken cancellationToken) => _fanout.UnsubscribeAsync(Channel, _failed);

    private void OnMessage(HealthReportMessage message)
    {
        if (message.Service is not { } service || message.Node is not { } node)
        {
            return;
        }

        if (message.Report is null)
        {
            _aggregator.Forget(service, node);
            return;
        }

        if (!HealthReportValidator.Validate(service, node, message.Report).IsValid)
        {
            LogDropped(message.Origin, service, node);
            return;
        }

        _aggregator.Report(service, node, message.Report);
    }

    [LoggerMessage(5907, LogLevel.Warning, "[cdd01ef066bc6cf2] health report relayed from replica {Origin} for {Service}/{Node} is invalid here; dropped")]
    private partial void LogDropped(string origin, string service, string node);

    [LoggerMessage(5908, LogLevel.Warning, "[cdd01ef066bc6cf2] health replication: Redis call failed")]
    private partial void LogRedisFailed(Exception exception);
}
