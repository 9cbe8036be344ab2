// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.ControlPlane.Api;

/// <summary>
/// Guards every endpoint marked <see cref="RequiresAdminToken"/>, before its body is read:
/// 403 when no admin token is configured (writes are disabled, never open), 401 with
/// <c>WWW-Authenticate: Bearer</c> when the token is missing or wrong. Tokens are never echoed.
/// </summary>
internal static class AdminAuthorizationMiddleware
{
    /// <summary>The middleware body (runs after routing).</summary>
    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetEndpoint()?.Metadata.GetMetadata<RequiresAdminToken>() is null)
        {
            return next(context);
        }

        var verifier = context.RequestServices.GetRequiredKeyedService<BearerTokenVerifier>(ServiceKeys.Admin);
        if (!verifier.IsConfigured)
        {
            return Problems.Create(StatusCodes.Status403Forbidden, Problems.WritesDisabledType, "Writes are disabled",
                "No admin token is configured on this control plane (set ACGS_ADMIN_TOKEN); all writes are refused.").ExecuteAsync(context);
        }

        if (!verifier.Verify(context.Request.Headers.Authorization))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Create(StatusCodes.Status401Unauthorized, Problems.UnauthorizedType, "Unauthorized",
                "A valid 'Authorization: Bearer <admin token>' header is required for writes.").ExecuteAsync(context);
        }

        return next(context);
    }
}
