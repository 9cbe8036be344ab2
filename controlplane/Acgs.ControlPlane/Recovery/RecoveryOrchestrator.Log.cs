// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Recovery;

/// <content>Log messages of the recovery orchestrator (stable event ids 5600–5699).</content>
internal sealed partial class RecoveryOrchestrator
{
    [LoggerMessage(5600, LogLevel.Warning, "[cdd01ef066bc6cf2] recovery task {Id} queued for {Service} ({Trigger}; strategy {Strategy}, priority {Priority})")]
    private partial void LogQueued(long id, string service, string trigger, string strategy, int priority);

    [LoggerMessage(5601, LogLevel.Information, "[cdd01ef066bc6cf2] recovery attempt {Attempt}/{MaxAttempts} for {Service} failed: {Detail}")]
    private partial void LogAttemptFailed(string service, int attempt, int maxAttempts, string detail);

    [LoggerMessage(5602, LogLevel.Information, "[cdd01ef066bc6cf2] recovery of {Service} succeeded ({Detail}); breaker reset {ResetId} pushed to {Sidecars} sidecar(s)")]
    private partial void LogSucceeded(string service, string detail, string resetId, int sidecars);

    [LoggerMessage(5603, LogLevel.Error, "[cdd01ef066bc6cf2] recovery of {Service} failed after {Attempts} attempt(s): {Detail}")]
    private partial void LogFailed(string service, int attempts, string detail);

    [LoggerMessage(5604, LogLevel.Warning, "[cdd01ef066bc6cf2] recovery of {Service} waits for an operator ({Detail})")]
    private partial void LogAwaitingOperator(string service, string detail);

    [LoggerMessage(5605, LogLevel.Information, "[cdd01ef066bc6cf2] recovery task of {Service}: operator {Action}")]
    private partial void LogOperator(string service, string action);

    [LoggerMessage(5606, LogLevel.Error, "[cdd01ef066bc6cf2] recovery attempt for {Service} threw; counted as a failed attempt")]
    private partial void LogAttemptThrew(string service, Exception exception);
}
