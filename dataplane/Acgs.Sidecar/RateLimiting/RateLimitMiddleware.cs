// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Contracts.RateLimiting;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.HashEnforcement;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Identity;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.RateLimiting;

/// <summary>
/// The service's quota (docs/metering.md), on the inbound listener after authorization and before the app: the active
/// snapshot's <c>rate_limit</c> as a local token bucket (<see cref="RateLimiter"/>), per service, caller identity or
/// tenant. Past the budget: 429 <c>application/problem+json</c> (<c>urn:acgs:rate-limited</c>) with <c>Retry-After</c>;
/// every decision counts in <c>acgs_ratelimit_decisions_total</c>. The buckets live as long as an equal config stays
/// active (a push of other policies does not refill them). No allocation on the allowed path.
/// </summary>
internal sealed class RateLimitMiddleware
{
    /// <summary>The problem type of a limited request.</summary>
    public const string ProblemType = "urn:acgs:rate-limited";

    private readonly RequestDelegate _next;
    private readonly ListenerPorts _ports;
    private readonly ConfigApplier _config;
    private readonly RateLimitMetrics _metrics;
    private readonly TimeProvider _time;
    private Active? _active;

    public RateLimitMiddleware(RequestDelegate next, ListenerPorts ports, ConfigApplier config, RateLimitMetrics metrics, TimeProvider time)
    {
        _next = next;
        _ports = ports;
        _config = config;
        _metrics = metrics;
        _time = time;
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (_config.CurrentOrNull?.Snapshot.RateLimit is not { } config || _ports.Classify(context.Connection.LocalPort) != ListenerKind.Inbound)
        {
            return _next(context);
        }

        var limiter = LimiterFor(config);
        if (limiter.TryAcquire(KeyOf(limiter.Per, context), out var retryAfter))
        {
            _metrics.Allowed.Inc();
            return _next(context);
        }

        _metrics.Limited.Inc();
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        return ProblemResponse.WriteAsync(context, StatusCodes.Status429TooManyRequests, ProblemType, "Rate limit exceeded",
            "This service's rate limit is spent for now; retry after the number of seconds in Retry-After.", ("policy", config.Name));
    }

    /// <summary>The caller's SPIFFE ID or "unauthenticated"; the tenant header's single value or "" (no tenant).</summary>
    private static string? KeyOf(RateLimitKey per, HttpContext context) => per switch
    {
        RateLimitKey.Caller => context.Features.Get<PeerIdentityFeature>()?.SpiffeId ?? PeerIdentityMiddleware.Unauthenticated,
        RateLimitKey.Tenant => context.Request.Headers[RateLimits.TenantHeader] is { Count: 1 } tenant ? tenant[0] : string.Empty,
        _ => null,
    };

    /// <summary>
    /// The limiter of <paramref name="config"/>: the current one while the snapshot's config is the same object (one
    /// reference compare per request) or an equal one (the buckets are kept), else a new one (once per change).
    /// </summary>
    private RateLimiter LimiterFor(RateLimitConfig config)
    {
        var active = Volatile.Read(ref _active);
        if (active is not null && ReferenceEquals(active.Config, config))
        {
            return active.Limiter;
        }

        var limiter = active is not null && active.Limiter.Config.Equals(config) ? active.Limiter : new RateLimiter(config, _time);
        var next = new Active(config, limiter);
        return Interlocked.CompareExchange(ref _active, next, active) == active ? limiter : Volatile.Read(ref _active)!.Limiter;
    }

    private sealed record Active(RateLimitConfig Config, RateLimiter Limiter);
}
