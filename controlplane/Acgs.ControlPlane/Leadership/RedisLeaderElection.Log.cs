// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Leadership;

internal sealed partial class RedisLeaderElection
{
    [LoggerMessage(5900, LogLevel.Information, "[cdd01ef066bc6cf2] leader election: campaigning as {Url} (lease {LeaseMs} ms)")]
    private partial void LogCampaigning(string url, int leaseMs);

    [LoggerMessage(5901, LogLevel.Information, "[cdd01ef066bc6cf2] leader election: this replica now leads (rollouts and recovery run here)")]
    private partial void LogGained();

    [LoggerMessage(5902, LogLevel.Warning, "[cdd01ef066bc6cf2] leader election: this replica no longer leads: {Reason}")]
    private partial void LogLost(string reason);

    [LoggerMessage(5903, LogLevel.Information, "[cdd01ef066bc6cf2] leader election: following {Leader} at {Url}")]
    private partial void LogFollowing(string leader, string url);

    [LoggerMessage(5904, LogLevel.Information, "[cdd01ef066bc6cf2] leader election: lease released on shutdown")]
    private partial void LogReleased();

    [LoggerMessage(5909, LogLevel.Warning, "[cdd01ef066bc6cf2] leader election: the lease in Redis is not signed with this control plane's admin token; not following it (leader-only calls answer 503 until a replica takes the lease)")]
    private partial void LogUntrustedLease();

    [LoggerMessage(5905, LogLevel.Warning, "[cdd01ef066bc6cf2] leader election: Redis call failed")]
    private partial void LogRedisFailed(Exception exception);
}
