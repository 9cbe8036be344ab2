// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.ControlPlane.Api;
using Acgs.Contracts.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Acgs.ControlPlane.Identity;

/// <summary>
/// The identity API: <c>POST /api/v1/identity/csr</c> (open: the body carries its own credential),
/// <c>GET /api/v1/identity/trust-bundle</c> (open), join tokens under <c>/api/v1/identity/join-tokens</c> (admin token).
/// Bodies are read and written through <see cref="IdentityJsonContext"/>; refusals are problem+json with <c>reason</c>.
/// </summary>
internal static class IdentityEndpoints
{
    /// <summary>Problem type of a refused certificate request.</summary>
    public const string RefusedType = "urn:acgs:identity-refused";

    private const int MaxBodyBytes = 64 * 1024;
    private const string Actor = "admin";

    public static IEndpointRouteBuilder MapIdentityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(IdentityPaths.Csr, SignAsync);
        endpoints.MapGet(IdentityPaths.TrustBundle, TrustBundle);
        endpoints.MapPost(IdentityPaths.JoinTokens, MintAsync).WithMetadata(RequiresAdminToken.Instance);
        endpoints.MapGet(IdentityPaths.JoinTokens, ListAsync).WithMetadata(RequiresAdminToken.Instance);
        endpoints.MapDelete(IdentityPaths.JoinToken, RevokeAsync).WithMetadata(RequiresAdminToken.Instance);
        return endpoints;
    }

    private static async Task<IResult> SignAsync(HttpContext context, IdentityService service, CancellationToken cancellationToken)
    {
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var (request, error) = await ReadAsync(context, IdentityJsonContext.Default.CsrRequest, cancellationToken).ConfigureAwait(false);
        var (issued, refusal) = await service.SignAsync(error is null ? request : null, remote, cancellationToken).ConfigureAwait(false);
        if (issued is not null)
        {
            return TypedResults.Json(issued, IdentityJsonContext.Default.CsrResponse, statusCode: StatusCodes.Status201Created);
        }

        var detail = error ?? refusal!.Detail;
        return TypedResults.Problem(detail: detail, statusCode: refusal!.Status, title: "Certificate request refused", type: RefusedType,
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["reason"] = refusal.Reason });
    }

    private static IResult TrustBundle(IdentityService service) => service.TrustBundle is { } bundle
        ? TypedResults.Json(bundle, IdentityJsonContext.Default.TrustBundleView)
        : Problems.Create(StatusCodes.Status503ServiceUnavailable, RefusedType, "CA not loaded", "The certificate authority is not loaded yet.");

    private static async Task<IResult> MintAsync(HttpContext context, IdentityService service, CancellationToken cancellationToken)
    {
        var (request, error) = await ReadAsync(context, IdentityJsonContext.Default.JoinTokenRequest, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, Problems.ValidationType, "Validation failed", "1 problem(s); nothing was stored.", [error]);
        }

        var (token, errors) = await service.MintAsync(request, Actor, cancellationToken).ConfigureAwait(false);
        return token is null
            ? Problems.Create(StatusCodes.Status400BadRequest, Problems.ValidationType, "Validation failed", $"{errors.Count} problem(s); nothing was stored.", errors)
            : TypedResults.Json(token, IdentityJsonContext.Default.JoinTokenResponse, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(IdentityService service, CancellationToken cancellationToken) =>
        TypedResults.Json(await service.ListAsync(cancellationToken).ConfigureAwait(false), IdentityJsonContext.Default.JoinTokenList);

    private static async Task<IResult> RevokeAsync(string id, IdentityService service, CancellationToken cancellationToken)
    {
        var revoked = await service.RevokeAsync(id, Actor, cancellationToken).ConfigureAwait(false);
        return revoked is null
            ? Problems.Create(StatusCodes.Status404NotFound, Problems.NotFoundType, "Not found", "No join token has this id.")
            : TypedResults.Json(revoked, IdentityJsonContext.Default.JoinTokenResponse);
    }

    /// <summary>Reads a JSON body of at most 64 KiB through the source-generated metadata; the error names the problem.</summary>
    private static async Task<(T? Value, string? Error)> ReadAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        if (context.Request.ContentLength is > MaxBodyBytes)
        {
            return (null, $"the body is larger than {MaxBodyBytes} bytes");
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync(context.Request.Body, type, cancellationToken).ConfigureAwait(false);
            return value is null ? (null, "the body must be a JSON object") : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, "the body is not valid JSON for this request: " + ex.Message);
        }
        catch (BadHttpRequestException)
        {
            return (null, $"the body is larger than {MaxBodyBytes} bytes");
        }
    }
}
