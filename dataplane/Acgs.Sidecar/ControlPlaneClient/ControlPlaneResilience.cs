// Constitutional Hash: cdd01ef066bc6cf2

using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>
/// The Polly v8 pipelines of the control-plane client, all on one <see cref="TimeProvider"/> (fake time in tests):
/// a per-call timeout, and a retry that repeats a call until the control plane accepts it, waiting a caller-chosen
/// backoff between attempts (the watch stream's full jitter, the health report's doubling).
/// </summary>
internal static class ControlPlaneResilience
{
    /// <summary>A pipeline that cancels a call still running after <paramref name="timeout"/> (<see cref="TimeoutRejectedException"/>).</summary>
    public static ResiliencePipeline Request(TimeProvider time, TimeSpan timeout) =>
        new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(timeout).Build();

    /// <summary>
    /// A pipeline that repeats a call until it returns true: a false result or a transient failure (connection refused or
    /// reset, timeout) is retried after <paramref name="delay"/>(n), n counting the failures from 1, for as long as the
    /// caller's token allows; <paramref name="onFailure"/> sees each failure's exception (null for a false result).
    /// Cancelling the token ends it with <see cref="OperationCanceledException"/>.
    /// </summary>
    public static ResiliencePipeline<bool> UntilAccepted(TimeProvider time, Func<int, TimeSpan> delay, Action<Exception?>? onFailure = null)
    {
        ArgumentNullException.ThrowIfNull(delay);
        var retry = new RetryStrategyOptions<bool>
        {
            MaxRetryAttempts = int.MaxValue,
            ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception switch
            {
                null => !args.Outcome.Result,
                HttpRequestException or IOException or TimeoutRejectedException => true,
                OperationCanceledException => !args.Context.CancellationToken.IsCancellationRequested,
                _ => false,
            }),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(delay(args.AttemptNumber + 1)),
            OnRetry = args =>
            {
                onFailure?.Invoke(args.Outcome.Exception);
                return ValueTask.CompletedTask;
            },
        };
        return new ResiliencePipelineBuilder<bool> { TimeProvider = time }.AddRetry(retry).Build();
    }
}
