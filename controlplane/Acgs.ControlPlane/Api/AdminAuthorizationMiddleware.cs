// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.ControlPlane;
using Acgs.Contracts.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.ControlPlane.Api;

/// <summary>
/// The API's token scopes, checked after routing and before any body is read. Endpoints marked <see cref="RequiresAdminToken"/>
/// (writes) need the admin token (<c>ACGS_ADMIN_TOKEN</c>): 403 <c>urn:acgs:writes-disabled</c> when none is configured, 403
/// <c>urn:acgs:insufficient-scope</c> for the read token, 401 with <c>WWW-Authenticate: Bearer</c> otherwise. Every other
/// <c>GET</c>/<c>HEAD</c> under <c>/api/v1/</c> (policies, snapshots, audit, health, recovery, rollouts, ...) is a read and needs
/// the read token (<c>ACGS_READ_TOKEN</c>) or the admin token, unless <c>ACGS_API_READS=open</c>; the trust bundle (public) and
/// the watch stream (a sidecar call, <see cref="SidecarAccess"/>) are not reads. Tokens are compared in constant time and never echoed.
/// </summary>
internal static class AdminAuthorizationMiddleware
{
    /// <summary>Problem type of a write presented with the read token.</summary>
    public const string InsufficientScopeType = "urn:acgs:insufficient-scope";

    /// <summary>Problem type of a read while no token is configured and reads are not open.</summary>
    public const string ReadsDisabledType = "urn:acgs:reads-disabled";

    private const string Watch = ControlPlaneRoutes.DiscoveryGroup + ControlPlaneRoutes.WatchTemplate;

    /// <summary>The middleware body (runs after routing).</summary>
    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var write = context.GetEndpoint()?.Metadata.GetMetadata<RequiresAdminToken>() is not null;
        if (!write && !IsRead(context.Request))
        {
            return next(context);
        }

        var services = context.RequestServices;
        var admin = services.GetRequiredKeyedService<BearerTokenVerifier>(ServiceKeys.Admin);
        var read = services.GetRequiredKeyedService<BearerTokenVerifier>(ServiceKeys.Read);
        var metrics = services.GetRequiredService<AccessMetrics>();
        var authorization = context.Request.Headers.Authorization;
        if (!write)
        {
            if (services.GetRequiredService<Hosting.ControlPlaneOptions>().ApiReads == ApiReadAccess.Open || admin.Verify(authorization) || read.Verify(authorization))
            {
                return next(context);
            }

            if (!admin.IsConfigured && !read.IsConfigured)
            {
                metrics.Api.WithLabels("read", "disabled").Inc();
                return Problems.Create(StatusCodes.Status403Forbidden, ReadsDisabledType, "Reads are disabled",
                    "No read or admin token is configured on this control plane (set ACGS_READ_TOKEN or ACGS_ADMIN_TOKEN, or ACGS_API_READS=open).").ExecuteAsync(context);
            }

            return Unauthorized(context, metrics, "read", "A valid 'Authorization: Bearer <read or admin token>' header is required for reads.");
        }

        if (!admin.IsConfigured)
        {
            metrics.Api.WithLabels("admin", "disabled").Inc();
            return Problems.Create(StatusCodes.Status403Forbidden, Problems.WritesDisabledType, "Writes are disabled",
                "No admin token is configured on this control plane (set ACGS_ADMIN_TOKEN); all writes are refused.").ExecuteAsync(context);
        }

        if (admin.Verify(authorization))
        {
            return next(context);
        }

        if (read.Verify(authorization))
        {
            metrics.Api.WithLabels("admin", "insufficient_scope").Inc();
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"insufficient_scope\"";
            return Problems.Create(StatusCodes.Status403Forbidden, InsufficientScopeType, "Insufficient scope",
                "The read token may only read; writes need the admin token.").ExecuteAsync(context);
        }

        return Unauthorized(context, metrics, "admin", "A valid 'Authorization: Bearer <admin token>' header is required for writes.");
    }

    private static bool IsRead(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && request.Path.StartsWithSegments("/api/v1", StringComparison.OrdinalIgnoreCase)
        && !request.Path.Equals(IdentityPaths.TrustBundle, StringComparison.OrdinalIgnoreCase)
        && !request.Path.Equals(Watch, StringComparison.OrdinalIgnoreCase);

    private static Task Unauthorized(HttpContext context, AccessMetrics metrics, string scope, string detail)
    {
        metrics.Api.WithLabels(scope, context.Request.Headers.Authorization.Count == 0 ? "missing" : "wrong").Inc();
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Create(StatusCodes.Status401Unauthorized, Problems.UnauthorizedType, "Unauthorized", detail).ExecuteAsync(context);
    }
}
