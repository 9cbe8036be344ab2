// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Acgs.Contracts.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.ControlPlane.Api;

/// <summary>
/// What every call from a sidecar with a body goes through (ACK/NACK, health and agent reports): the credential check of
/// <see cref="SidecarAccess"/> and the reading of a wire contract from <c>Acgs.Contracts</c> through its source-generated metadata.
/// </summary>
internal static class SidecarRequests
{
    /// <summary>
    /// A sidecar's body: 401 without an accepted credential (<see cref="SidecarAccess"/>, before the body is read), 400 when it
    /// is not JSON of that shape (read through <paramref name="type"/>) or when <paramref name="validate"/> (the contract's
    /// validator) lists problems, 403 when the caller is a workload and <paramref name="scope"/> (the service and node the
    /// call acts for) is not its own; else the body, never null.
    /// </summary>
    public static async Task<(T? Body, IResult? Refusal)> ReceiveAsync<T>(
        HttpContext context, string route, JsonTypeInfo<T> type, Func<T?, ValidationResult> validate, Func<T, (string Service, string Node)> scope)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(validate);
        ArgumentNullException.ThrowIfNull(scope);
        var access = context.RequestServices.GetRequiredService<SidecarAccess>();
        var (caller, unauthorized) = access.Authenticate(context, route);
        if (unauthorized is not null)
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
            return (default, Problems.Create(StatusCodes.Status400BadRequest, Problems.ValidationType, "Validation failed", "1 problem(s).", [JsonErrors.Describe(ex)]));
        }
        catch (InvalidOperationException)
        {
            return (default, Problems.Create(StatusCodes.Status400BadRequest, Problems.ValidationType, "Validation failed", "1 problem(s).", ["body: must be application/json"]));
        }

        if (Problems.Invalid(validate(body)) is { } invalid)
        {
            return (default, invalid);
        }

        var (service, node) = scope(body!);
        var forbidden = await access.AuthorizeAsync(caller!, route, service, node, context.RequestAborted).ConfigureAwait(false);
        return forbidden is null ? (body, null) : (default, forbidden);
    }
}
