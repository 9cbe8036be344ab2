// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Authorization;

/// <summary>Logs denials and dry-run "would deny" decisions, at most once per rule every 10 seconds (never the policy's contents).</summary>
internal sealed partial class AuthorizationLog
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _interval;

    public AuthorizationLog(TimeProvider time, ILogger<AuthorizationLog> logger)
    {
        _time = time;
        _logger = logger;
        _interval = (long)(TimeSpan.FromSeconds(10).TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>Logs <paramref name="decision"/> (a deny or dry-run deny) of <paramref name="caller"/> on <paramref name="channel"/>, when its rule's limiter allows.</summary>
    public void Record(in AuthorizationDecision decision, string channel, string caller)
    {
        if (!decision.Rule.ShouldLog(_time.GetTimestamp(), _interval))
        {
            return;
        }

        if (decision.Result == AuthorizationResult.DryRunDeny)
        {
            LogWouldDeny(channel, caller, decision.Rule.Id);
        }
        else
        {
            LogDenied(channel, caller, decision.Rule.Id);
        }
    }

    [LoggerMessage(9100, LogLevel.Warning, "[cdd01ef066bc6cf2] authorization ({Channel}): caller {Caller} denied by rule {Rule} (logged at most once per rule every 10 s)")]
    private partial void LogDenied(string channel, string caller, string rule);

    [LoggerMessage(9101, LogLevel.Information, "[cdd01ef066bc6cf2] authorization ({Channel}): dry run: caller {Caller} would be denied by rule {Rule}; allowed (logged at most once per rule every 10 s)")]
    private partial void LogWouldDeny(string channel, string caller, string rule);
}
