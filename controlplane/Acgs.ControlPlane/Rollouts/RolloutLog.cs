// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>Source-generated log messages of the rollouts (event ids 5600–5619).</summary>
internal static partial class RolloutLog
{
    [LoggerMessage(5700, LogLevel.Information, "[cdd01ef066bc6cf2] rollout {Id} of {Service} created by {Actor}: {Blue} -> {Green}, {Steps} step(s), green at {Weight}%")]
    public static partial void Created(ILogger logger, string id, string service, string actor, string blue, string green, int steps, int weight);

    [LoggerMessage(5701, LogLevel.Information, "[cdd01ef066bc6cf2] rollout {Id} of {Service}: step {Step}, green at {Weight}%")]
    public static partial void Stepped(ILogger logger, string id, string service, int step, int weight);

    [LoggerMessage(5702, LogLevel.Information, "[cdd01ef066bc6cf2] rollout {Id} of {Service} succeeded: {Reason}")]
    public static partial void Succeeded(ILogger logger, string id, string service, string reason);

    [LoggerMessage(5703, LogLevel.Warning, "[cdd01ef066bc6cf2] rollout {Id} of {Service} rolled back to 100% {Blue}: {Reason}")]
    public static partial void RolledBack(ILogger logger, string id, string service, string blue, string reason);

    [LoggerMessage(5704, LogLevel.Warning, "[cdd01ef066bc6cf2] rollout {Id} of {Service}: analysis check failed ({Failures} in a row): {Detail}")]
    public static partial void CheckFailed(ILogger logger, string id, string service, int failures, string detail);

    [LoggerMessage(5705, LogLevel.Error, "[cdd01ef066bc6cf2] rollout {Id} of {Service}: writing green weight {Weight}% failed, retrying: {Errors}")]
    public static partial void PushFailed(ILogger logger, string id, string service, int weight, string errors);

    [LoggerMessage(5706, LogLevel.Information, "[cdd01ef066bc6cf2] rollout {Id} of {Service} {Action} by {Actor}")]
    public static partial void Manual(ILogger logger, string id, string service, string action, string actor);

    [LoggerMessage(5707, LogLevel.Error, "[cdd01ef066bc6cf2] rollout controller tick failed; retrying")]
    public static partial void TickFailed(ILogger logger, Exception exception);

    [LoggerMessage(5708, LogLevel.Information, "[cdd01ef066bc6cf2] rollout {Id} of {Service} restored at step {Step}, green at {Weight}%; analysis resumes after a warm-up")]
    public static partial void Restored(ILogger logger, string id, string service, int step, int weight);

    [LoggerMessage(5709, LogLevel.Error, "[cdd01ef066bc6cf2] writing rollout state to {Path} failed; retried after the next change")]
    public static partial void SaveFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(5710, LogLevel.Error, "[cdd01ef066bc6cf2] rollout state {Path} is unreadable ({Error}); moved aside, starting without rollouts")]
    public static partial void LoadFailed(ILogger logger, string path, string error);
}
