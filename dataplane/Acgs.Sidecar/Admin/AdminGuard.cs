// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.HashEnforcement;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.Sidecar.Admin;

/// <summary>
/// The checks in front of a state-changing admin endpoint: a browser's cross-site request (any <c>Origin</c> header,
/// or <c>Sec-Fetch-Site</c> other than <c>same-origin</c>/<c>none</c>) gets 403 — the admin API serves no browser page
/// and answers no CORS — and a request without the admin token (<see cref="AdminToken"/>) gets 401, both
/// problem+json; nothing changes.
/// </summary>
internal static class AdminGuard
{
    /// <summary>Problem type of a refused admin request.</summary>
    public const string ProblemType = "urn:acgs:admin-unauthorized";

    /// <summary>Null when <paramref name="context"/> may change state; else the refusal, written.</summary>
    public static Task? Refuse(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.Request.Headers;
        var fetchSite = headers["Sec-Fetch-Site"].ToString();
        if (headers.Origin.Count > 0 || (fetchSite.Length > 0 && fetchSite is not ("same-origin" or "none")))
        {
            return ProblemResponse.WriteAsync(context, 403, ProblemType, "Cross-site request refused",
                "state-changing admin endpoints refuse browser requests (Origin / Sec-Fetch-Site); call them from the host with the admin token");
        }

        var token = context.RequestServices.GetRequiredService<AdminToken>();
        var authorization = headers.Authorization.ToString();
        const string bearer = "Bearer ";
        if (!authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) || !token.Matches(authorization.AsSpan(bearer.Length).Trim()))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return ProblemResponse.WriteAsync(context, 401, ProblemType, "Admin token required",
                "state-changing admin endpoints need 'Authorization: Bearer <token>' (ACGS_ADMIN_API_TOKEN or the file ACGS_ADMIN_API_TOKEN_FILE)");
        }

        return null;
    }
}
