// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;
using Yarp.ReverseProxy.Transforms;

namespace Acgs.Sidecar.Resilience;

/// <summary>
/// The per-request state of one upstream attempt whose outcome is recorded by YARP's response
/// transform instead of an async frame in <see cref="ClusterResilienceHandler"/> (the tracked path,
/// clusters without retries). One instance belongs to each pooled per-request object of the
/// telemetry middleware (<see cref="Telemetry.RequestTiming"/>), so nothing is allocated per request.
/// </summary>
/// <remarks>
/// The hand-off: YARP runs its request transforms and then calls the cluster's
/// <see cref="HttpMessageInvoker.SendAsync"/> on the same thread when the transforms complete
/// synchronously (they do in the sidecar). The request transform <see cref="Offer"/>s the call for
/// its <see cref="HttpRequestMessage"/> in a thread-static slot; the handler <see cref="Take"/>s it
/// only for that very message. Any other case (an asynchronous transform, no telemetry feature,
/// a direct handler user) finds no offer and takes the handler's awaited path, as before.
/// Completion: YARP calls the response transforms after response headers arrive and also after a
/// request failure (with a null response, the error in <c>IForwarderErrorFeature</c>); that is
/// where <see cref="CompleteAsync"/> records the outcome. <see cref="Abandon"/> is the safety net
/// at the end of the request (the telemetry middleware returns the pooled object): a call that was
/// never completed is recorded as abandoned, so a half-open trial permit is never lost.
/// </remarks>
internal sealed class UpstreamCall
{
    [ThreadStatic]
    private static HttpRequestMessage? t_offeredRequest;

    [ThreadStatic]
    private static UpstreamCall? t_offeredCall;

    [ThreadStatic]
    private static HttpRequestMessage? t_sendingRequest;

    [ThreadStatic]
    private static UpstreamCall? t_sendingCall;

    private ClusterResilienceHandler? _handler;
    private SemaphoreSlim? _slot;

    /// <summary>True between <see cref="Begin"/> and the call's completion.</summary>
    public bool IsPending => _handler is not null;

    /// <summary>How many attempts used this instance on the tracked path (diagnostics and tests).</summary>
    public long TrackedCount { get; private set; }

    internal ClusterResilienceHandler.AppliedSettings? Applied { get; private set; }

    internal CircuitPermit Permit { get; private set; }

    internal CancellationTokenSource? Source { get; private set; }

    internal CancellationTokenRegistration Registration { get; private set; }

    internal CancellationToken ClientToken { get; private set; }

    internal bool Bodyless { get; private set; }

    /// <summary>Offers <paramref name="call"/> to the handler that will send <paramref name="request"/> on this thread.</summary>
    public static void Offer(HttpRequestMessage request, UpstreamCall call)
    {
        t_offeredRequest = request;
        t_offeredCall = call;
    }

    /// <summary>The call offered for <paramref name="request"/> on this thread, or null; clears the slot either way.</summary>
    public static UpstreamCall? Take(HttpRequestMessage request)
    {
        var offered = t_offeredRequest;
        if (offered is null)
        {
            return null;
        }

        var call = t_offeredCall;
        t_offeredRequest = null;
        t_offeredCall = null;
        return ReferenceEquals(offered, request) ? call : null;
    }

    /// <summary>
    /// The tracked call whose <paramref name="request"/> the resilience handler is handing to its inner handlers on this
    /// thread right now (they run synchronously up to their first await), or null; clears the slot. An inner handler
    /// that takes it may <see cref="HoldSlot"/> for the call's duration without an async frame of its own.
    /// </summary>
    public static UpstreamCall? TakeSending(HttpRequestMessage request)
    {
        var sending = t_sendingRequest;
        if (sending is null)
        {
            return null;
        }

        var call = t_sendingCall;
        t_sendingRequest = null;
        t_sendingCall = null;
        return ReferenceEquals(sending, request) ? call : null;
    }

    /// <summary>Marks <paramref name="call"/> as sending <paramref name="request"/> on this thread (null: nothing is).</summary>
    internal static void MarkSending(HttpRequestMessage? request, UpstreamCall? call)
    {
        t_sendingRequest = request;
        t_sendingCall = call;
    }

    /// <summary>Releases <paramref name="slot"/> once when this pending call completes or is abandoned
    /// (a warm-connection slot of <see cref="WarmPoolHandler"/>).</summary>
    internal void HoldSlot(SemaphoreSlim slot) => _slot = slot;

    /// <summary>Completes a pending call from YARP's response transform (response or failure).</summary>
    public ValueTask CompleteAsync(ResponseTransformContext context)
    {
        var handler = _handler;
        return handler is null ? default : handler.CompleteTracked(this, context);
    }

    /// <summary>Records a call that was never completed as abandoned (neither counts nor resets).</summary>
    public void Abandon() => _handler?.AbandonTracked(this);

    internal void Begin(
        ClusterResilienceHandler handler,
        ClusterResilienceHandler.AppliedSettings applied,
        CircuitPermit permit,
        CancellationTokenSource source,
        CancellationTokenRegistration registration,
        bool bodyless,
        CancellationToken clientToken)
    {
        Applied = applied;
        Permit = permit;
        Source = source;
        Registration = registration;
        ClientToken = clientToken;
        Bodyless = bodyless;
        TrackedCount++;
        _handler = handler;
    }

    internal void End()
    {
        var slot = _slot;
        _slot = null;
        slot?.Release();
        _handler = null;
        Applied = null;
        Permit = default;
        Source = null;
        Registration = default;
        ClientToken = default;
    }
}
