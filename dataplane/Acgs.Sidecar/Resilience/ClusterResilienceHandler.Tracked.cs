// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace Acgs.Sidecar.Resilience;

/// <content>
/// The tracked path (clusters without retries, requests the sidecar's proxy pipeline offered an
/// <see cref="UpstreamCall"/> for): the same breaker, timeout and outcome rules as
/// <see cref="SendOnceAsync"/>, without an async frame of our own. The attempt returns the inner
/// handler's task directly; YARP's response transform completes it (<see cref="CompleteTracked"/>).
/// </content>
internal sealed partial class ClusterResilienceHandler
{
    private Task<HttpResponseMessage> SendTracked(
        HttpRequestMessage request, AppliedSettings applied, CircuitPermit permit, UpstreamCall call, CancellationToken clientToken)
    {
        if (call.IsPending)
        {
            call.Abandon(); // a second attempt on the same request (YARP's WebSocket downgrade): the first never counts
        }

        var source = _timeouts.Rent();
        if (applied.Timeout != Timeout.InfiniteTimeSpan)
        {
            source.CancelAfter(applied.Timeout);
        }

        var registration = clientToken.UnsafeRegister(CancelSource, source);
        call.Begin(this, applied, permit, source, registration, bodyless: request.Content is null, clientToken);
        UpstreamCall.MarkSending(request, call); // a warm-pool handler below may hold a slot until the call completes
        try
        {
            return base.SendAsync(request, source.Token);
        }
        finally
        {
            UpstreamCall.MarkSending(null, null);
        }
    }

    /// <summary>
    /// Records the outcome of a tracked attempt from YARP's response transform: the upstream's
    /// response, or (null response) the failure YARP reported in <see cref="IForwarderErrorFeature"/>.
    /// When this outcome trips the breaker, the answer becomes the circuit-open 503 (as on the
    /// awaited path) and YARP is told not to copy the upstream body.
    /// </summary>
    internal ValueTask CompleteTracked(UpstreamCall call, ResponseTransformContext context)
    {
        var applied = call.Applied!;
        var permit = call.Permit;
        var source = call.Source!;
        var clientToken = call.ClientToken;
        var bodyless = call.Bodyless;
        call.Registration.Dispose();
        call.End();

        var response = context.ProxyResponse;
        var clientCancelled = clientToken.IsCancellationRequested;
        var timedOut = response is null && source.IsCancellationRequested && !clientCancelled;
        _timeouts.Return(source, reusable: bodyless);
        var error = response is null ? context.HttpContext.Features.Get<IForwarderErrorFeature>()?.Exception : null;
        if (!_breaker.Record(permit, Classify(response, error, timedOut, clientCancelled, applied))
            || context.HttpContext.Response.HasStarted)
        {
            return default;
        }

        // This call tripped the breaker: it already answers "open" (pybreaker semantics), and its span says so.
        Tracing.MeshTracing.BreakerRejected(_clusterId);
        context.SuppressResponseBody = true;
        context.HttpContext.Features.Set<IForwarderErrorFeature>(null);
        return CircuitOpenResponse.WriteAsync(context.HttpContext.Response, _problemBody, _breaker.RetryAfter);
    }

    /// <summary>A tracked attempt nobody completed (the request ended first): abandoned, timer disarmed.</summary>
    internal void AbandonTracked(UpstreamCall call)
    {
        var permit = call.Permit;
        var source = call.Source!;
        call.Registration.Dispose();
        call.End();
        _timeouts.Return(source, reusable: false);
        _breaker.Record(permit, CircuitOutcome.Abandoned);
    }
}
