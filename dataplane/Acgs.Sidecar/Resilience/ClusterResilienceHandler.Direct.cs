// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;

namespace Acgs.Sidecar.Resilience;

/// <content>
/// The same breaker, timeout and outcome rules for the sidecar's own HTTP/1.1 forwarding path
/// (<see cref="Forwarding.Direct.DirectForwarder"/>), which sends without an <see cref="HttpRequestMessage"/>:
/// ask the breaker, take a timeout source, record the outcome by status or failure.
/// </content>
internal sealed partial class ClusterResilienceHandler
{
    /// <summary>The cluster's id (the client span's <c>acgs.cluster</c>).</summary>
    internal string DirectClusterId => _clusterId;

    /// <summary>The cluster's applied settings (a reference check per request).</summary>
    internal AppliedSettings DirectSettings() => Current();

    /// <summary>Asks the breaker; a refusal is counted as a circuit rejection (and the caller answers circuit-open).</summary>
    internal CircuitPermit DirectAcquire()
    {
        var permit = _breaker.TryAcquire();
        if (!permit.IsAllowed)
        {
            _metrics.CircuitRejections.Inc();
            Tracing.MeshTracing.BreakerRejected(_clusterId);
        }

        return permit;
    }

    /// <summary>A timeout source armed with the cluster's timeout (time to response headers), or unarmed when it has none.</summary>
    internal CancellationTokenSource DirectRentTimeout(AppliedSettings applied, TimeSpan fallback)
    {
        var source = _timeouts.Rent();
        var timeout = applied.Timeout;
        source.CancelAfter(timeout == Timeout.InfiniteTimeSpan || timeout > fallback ? fallback : timeout);
        return source;
    }

    /// <summary>Gives a timeout source back (reusable: nothing holds its token any more).</summary>
    internal void DirectReturnTimeout(CancellationTokenSource source) => _timeouts.Return(source, reusable: true);

    /// <summary>Records an upstream response status; true when this call tripped the breaker (the answer becomes circuit-open).</summary>
    internal bool DirectRecordStatus(CircuitPermit permit, int status, AppliedSettings applied)
    {
        if (_breaker.Record(permit, ClassifyStatus(status, applied)))
        {
            Tracing.MeshTracing.BreakerRejected(_clusterId);
            return true;
        }

        return false;
    }

    /// <summary>Records a failure before response headers; true when this call tripped the breaker.</summary>
    internal bool DirectRecordFailure(CircuitPermit permit, Exception? error, bool timedOut, bool clientCancelled, AppliedSettings applied)
    {
        if (_breaker.Record(permit, Classify(null, error, timedOut, clientCancelled, applied)))
        {
            Tracing.MeshTracing.BreakerRejected(_clusterId);
            return true;
        }

        return false;
    }

    /// <summary>Records an attempt that never reached an outcome (neither counts nor resets).</summary>
    internal void DirectAbandon(CircuitPermit permit) => _breaker.Record(permit, CircuitOutcome.Abandoned);

    /// <summary>The circuit-open problem body of this cluster.</summary>
    internal byte[] ProblemBody => _problemBody;
}
