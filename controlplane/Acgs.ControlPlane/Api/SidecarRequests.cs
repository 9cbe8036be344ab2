// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Acgs.Contracts.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.ControlPlane.Api;

/// <summary>
/// What every call from a sidecar goes through (watch, ACK/NACK, health and agent reports, deregistration): the sidecar
/// token check and the reading of a wire contract from <c>Acgs.Contracts</c> through its source-generated metadata.
/// </summary>
internal static class SidecarRequests
{
    /// <summary>401 (with <c>WWW-Authenticate: Bearer</c>) when a sidecar token is configured and not presented; else null.</summary>
    public static IResult? Unauthorized(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var verifier = context.RequestServices.GetRequiredKeyedService<BearerTokenVerifier>(ServiceKeys.Sidecar);
        if (!verifier.IsConfigured || verifier.Verify(context.Request.Headers.Authorization))
        {
            return null;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Create(StatusCodes.Status401Unauthorized, Problems.UnauthorizedType, "Unauthorized", "A valid sidecar token is required.");
    }

    /// <summary>
    /// A sidecar's body: 401 without the sidecar token, 400 when it is not JSON of that shape (read through
    /// <paramref name="type"/>) or when <paramref name="validate"/> (the contract's validator) lists problems; else the
    /// body, never null.
    /// </summary>
    public static async Task<(T? Body, IResult? Refusal)> ReceiveAsync<T>(HttpContext context, JsonTypeInfo<T> type, Func<T?, ValidationResult> validate)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(validate);
        if (Unauthorized(context) is { } unauthorized)
        {
            return (default, unauthorized);
        }

        T? body;
        try
        {
            body = await context.Request.ReadFromJsonAsync(type, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return (default, Problems.Create(StatusCodes.Status400BadRequest, Problems.ValidationType, "Validation failed", "1 problem(s).", ["body: invalid JSON: " + ex.Message]));
        }
        catch (InvalidOperationException)
        {
            return (default, Problems.Create(StatusCodes.Status400BadRequest, Problems.ValidationType, "Validation failed", "1 problem(s).", ["body: must be application/json"]));
        }

        return (body, Problems.Invalid(validate(body)));
    }
}
