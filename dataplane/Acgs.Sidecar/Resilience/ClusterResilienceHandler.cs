// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Acgs.Core.CircuitBreaker;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Resilience;

/// <summary>
/// The resilience layer of one upstream cluster, placed in front of YARP's
/// <see cref="SocketsHttpHandler"/> (docs/resilience.md):
/// <list type="number">
/// <item>The cluster's breaker is asked first; while it refuses, the upstream is not contacted and
/// the answer is the circuit-open 503 (<see cref="CircuitOpenResponse"/>).</item>
/// <item>Otherwise the request goes upstream with the cluster's timeout (time to response headers).</item>
/// <item>The outcome is recorded: a failure status (default 502/503/504), a transport error or a
/// timeout is a failure; 4xx is excluded (counts as success); other responses are successes; a
/// request cancelled by the client is abandoned (never counts).</item>
/// <item>The call that trips the breaker already answers circuit-open 503 (pybreaker semantics):
/// a failure response is disposed and replaced, a failure exception is swallowed and replaced.</item>
/// <item>Otherwise failures surface unchanged: a response as is; a transport error rethrown (YARP
/// answers 502); our timeout as a <see cref="TaskCanceledException"/> with an inner
/// <see cref="TimeoutException"/> (YARP answers 504).</item>
/// <item>Retries, when enabled for the cluster, resend idempotent bodyless requests (see
/// <see cref="RetrySettings"/>), each through the breaker and the retry budget.</item>
/// </list>
/// One instance per cluster and client: the breaker and the metric children are resolved once.
/// </summary>
internal sealed partial class ClusterResilienceHandler : DelegatingHandler
{
    private static readonly Action<object?> CancelSource = static state => ((CancellationTokenSource)state!).Cancel();

    private readonly string _clusterId;
    private readonly CircuitBreaker _breaker;
    private readonly IClusterResilienceSource _source;
    private readonly TimeoutSourcePool _timeouts;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ClusterResilienceMetrics _metrics;
    private readonly byte[] _problemBody;
    private AppliedSettings? _applied;

    /// <summary>Creates the handler of <paramref name="clusterId"/> around <paramref name="innerHandler"/>.</summary>
    public ClusterResilienceHandler(
        string clusterId,
        CircuitBreakerRegistry breakers,
        IClusterResilienceSource source,
        TimeoutSourcePool timeouts,
        TimeProvider timeProvider,
        ILogger logger,
        ClusterResilienceMetrics metrics,
        HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        ArgumentNullException.ThrowIfNull(breakers);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(timeouts);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(metrics);
        _clusterId = clusterId;
        _breaker = breakers.Get(clusterId);
        _source = source;
        _timeouts = timeouts;
        _time = timeProvider;
        _logger = logger;
        _metrics = metrics;
        _problemBody = CircuitOpenResponse.BuildBody(clusterId);
    }

    /// <summary>The breaker this handler uses.</summary>
    public CircuitBreaker Breaker => _breaker;

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tracked = UpstreamCall.Take(request); // offered by the sidecar's request transform, or null
        var applied = Current();
        var permit = _breaker.TryAcquire();
        if (!permit.IsAllowed)
        {
            _metrics.CircuitRejections.Inc();
            return Task.FromResult(CircuitOpen(request));
        }

        var budget = applied.Budget;
        if (budget is null)
        {
            return tracked is null
                ? SendOnceAsync(request, applied, permit, cancellationToken)
                : SendTracked(request, applied, permit, tracked, cancellationToken);
        }

        budget.RecordRequest(); // every request earns retries, replayable or not
        return IsReplayable(request)
            ? SendWithRetriesAsync(request, applied, budget, permit, cancellationToken)
            : SendOnceAsync(request, applied, permit, cancellationToken);
    }

    /// <inheritdoc />
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The resilience handler is asynchronous only; YARP never calls Send.");

    // The common path (no retries): one attempt, as few locals as possible so that the async
    // state machine stays small.
    private async Task<HttpResponseMessage> SendOnceAsync(
        HttpRequestMessage request, AppliedSettings applied, CircuitPermit permit, CancellationToken clientToken)
    {
        var source = _timeouts.Rent();
        if (applied.Timeout != Timeout.InfiniteTimeSpan)
        {
            source.CancelAfter(applied.Timeout);
        }

        var registration = clientToken.UnsafeRegister(CancelSource, source);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, source.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Every failure is classified, then rethrown (or replaced by the circuit-open answer).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            registration.Dispose();
            var clientCancelled = clientToken.IsCancellationRequested;
            var timedOut = source.IsCancellationRequested && !clientCancelled;
            _timeouts.Return(source, reusable: request.Content is null);
            if (_breaker.Record(permit, Classify(null, ex, timedOut, clientCancelled, applied)))
            {
                return CircuitOpen(request); // this call tripped the breaker: it already answers "open"
            }

            if (timedOut)
            {
                throw TimedOut(applied.Timeout, ex);
            }

            throw;
        }

        registration.Dispose();
        _timeouts.Return(source, reusable: request.Content is null);
        if (_breaker.Record(permit, Classify(response, null, timedOut: false, clientCancelled: false, applied)))
        {
            response.Dispose();
            return CircuitOpen(request);
        }

        return response;
    }

    private async Task<HttpResponseMessage> SendWithRetriesAsync(
        HttpRequestMessage request, AppliedSettings applied, RetryBudget budget, CircuitPermit permit, CancellationToken clientToken)
    {
        var maxAttempts = applied.Retry.MaxAttempts;
        var timeout = applied.Timeout;
        var started = _time.GetTimestamp();

        for (var attempt = 1; ; attempt++)
        {
            var attemptTimeout = AttemptTimeout(applied, started);
            HttpResponseMessage? response = null;
            ExceptionDispatchInfo? error = null;
            var source = _timeouts.Rent();
            if (attemptTimeout != Timeout.InfiniteTimeSpan)
            {
                source.CancelAfter(attemptTimeout);
            }

            var registration = clientToken.UnsafeRegister(CancelSource, source);
            try
            {
                response = await base.SendAsync(request, source.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Every failure is classified, then rethrown (or replaced by the circuit-open answer).
            catch (Exception ex)
#pragma warning restore CA1031
            {
                error = ExceptionDispatchInfo.Capture(ex);
            }
            finally
            {
                registration.Dispose();
            }

            var timedOut = error is not null && source.IsCancellationRequested && !clientToken.IsCancellationRequested;
            _timeouts.Return(source, reusable: request.Content is null);

            var outcome = Classify(response, error?.SourceException, timedOut, clientToken.IsCancellationRequested, applied);
            if (_breaker.Record(permit, outcome))
            {
                response?.Dispose(); // this call tripped the breaker: it already answers "open"
                return CircuitOpen(request);
            }

            var backoff = attempt < maxAttempts ? BackoffDelay(applied.Retry, attempt) : TimeSpan.Zero;
            if (attempt >= maxAttempts || !ShouldRetry(response, outcome, applied) || NoTimeLeft(timeout, started, backoff))
            {
                return Complete(response, error, timedOut, attemptTimeout);
            }

            if (!budget.TryWithdraw())
            {
                _metrics.RetryBudgetExhausted.Inc();
                return Complete(response, error, timedOut, attemptTimeout);
            }

            response?.Dispose();
            if (backoff > TimeSpan.Zero)
            {
                await Task.Delay(backoff, _time, clientToken).ConfigureAwait(false);
            }

            permit = _breaker.TryAcquire();
            if (!permit.IsAllowed)
            {
                _metrics.RetryCircuitOpen.Inc();
                _metrics.CircuitRejections.Inc();
                return CircuitOpen(request);
            }

            _metrics.RetrySent.Inc();
        }
    }

    private CircuitOutcome Classify(
        HttpResponseMessage? response, Exception? error, bool timedOut, bool clientCancelled, AppliedSettings applied)
    {
        if (response is not null)
        {
            return ClassifyStatus((int)response.StatusCode, applied);
        }

        if (clientCancelled || IsClientSideError(error))
        {
            return CircuitOutcome.Abandoned; // the client went away or sent a bad body: never the upstream's fault
        }

        if (timedOut || error is OperationCanceledException)
        {
            _metrics.FailureTimeout.Inc(); // ours, or SocketsHttpHandler's connect timeout
            return CircuitOutcome.Failure;
        }

        if (error is HttpRequestException or IOException or SocketException)
        {
            _metrics.FailureTransport.Inc();
            return CircuitOutcome.Failure;
        }

        return CircuitOutcome.Abandoned; // a local error (a bug, a misuse): neither counts nor resets
    }

    private CircuitOutcome ClassifyStatus(int status, AppliedSettings applied)
    {
        if (applied.Settings.FailureStatuses.Contains(status))
        {
            (status >= 500 ? _metrics.FailureStatus5xx : _metrics.FailureStatusOther).Inc();
            return CircuitOutcome.Failure;
        }

        return status is >= 400 and < 500 ? CircuitOutcome.Excluded : CircuitOutcome.Success;
    }

    // A failure reading the request body from the downstream client (YARP wraps it while the
    // body is streamed upstream): a malformed or too slow body, or a reset client connection.
    private static bool IsClientSideError(Exception? error)
    {
        for (var depth = 0; error is not null && depth < 8; depth++, error = error.InnerException)
        {
            if (error is Microsoft.AspNetCore.Http.BadHttpRequestException
                or Forwarding.Direct.DirectClientBodyException // the direct path's wrapper, whatever it wraps (a body cut short)
                or Microsoft.AspNetCore.Connections.ConnectionResetException
                or Microsoft.AspNetCore.Connections.ConnectionAbortedException)
            {
                return true;
            }
        }

        return false;
    }

    private static bool ShouldRetry(HttpResponseMessage? response, CircuitOutcome outcome, AppliedSettings applied) =>
        response is not null
            ? applied.Retry.RetryOnStatuses.Contains((int)response.StatusCode)
            : outcome == CircuitOutcome.Failure; // transport error or timeout

    private TimeSpan AttemptTimeout(AppliedSettings applied, long started)
    {
        var perTry = applied.Retry.PerTryTimeout ?? applied.Timeout;
        if (applied.Timeout == Timeout.InfiniteTimeSpan)
        {
            return perTry;
        }

        var remaining = applied.Timeout - _time.GetElapsedTime(started);
        if (remaining <= TimeSpan.Zero)
        {
            remaining = TimeSpan.FromTicks(1);
        }

        return perTry == Timeout.InfiniteTimeSpan || remaining < perTry ? remaining : perTry;
    }

    // True when the backoff would leave no time for another attempt within the cluster's timeout.
    private bool NoTimeLeft(TimeSpan timeout, long started, TimeSpan backoff) =>
        timeout != Timeout.InfiniteTimeSpan && _time.GetElapsedTime(started) + backoff >= timeout;

    // Exponential backoff with full jitter: random(0, min(max, base * 2^(attempt-1))).
    private static TimeSpan BackoffDelay(RetrySettings retry, int attempt)
    {
        if (retry.BackoffBase <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var cap = retry.BackoffBase * Math.Pow(2, attempt - 1);
        if (cap > retry.BackoffMax)
        {
            cap = retry.BackoffMax;
        }

#pragma warning disable CA5394 // Jitter, not security.
        return cap * Random.Shared.NextDouble();
#pragma warning restore CA5394
    }

    private HttpResponseMessage Complete(HttpResponseMessage? response, ExceptionDispatchInfo? error, bool timedOut, TimeSpan timeout)
    {
        if (response is not null)
        {
            return response;
        }

        if (timedOut)
        {
            throw TimedOut(timeout, error!.SourceException);
        }

        error!.Throw();
        return null!; // unreachable
    }

    // YARP maps an OperationCanceledException its own token did not cause to 504 Gateway Timeout.
    private TaskCanceledException TimedOut(TimeSpan timeout, Exception inner) => new(
        $"The upstream of cluster '{_clusterId}' did not answer within {timeout.TotalMilliseconds} ms.",
        new TimeoutException($"Cluster '{_clusterId}' timeout of {timeout.TotalMilliseconds} ms elapsed.", inner));

    private HttpResponseMessage CircuitOpen(HttpRequestMessage request)
    {
        Tracing.MeshTracing.BreakerRejected(_clusterId);
        return CircuitOpenResponse.Create(request, _problemBody, _breaker.RetryAfter);
    }

    private static bool IsReplayable(HttpRequestMessage request)
    {
        if (request.Content is not null)
        {
            return false; // YARP streams the body: it cannot be sent twice
        }

        var method = request.Method;
        return method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
            || method == HttpMethod.Trace || method == HttpMethod.Put || method == HttpMethod.Delete;
    }
}
