// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Validation;
using Microsoft.AspNetCore.Http;

namespace Acgs.ControlPlane.Api;

/// <summary>RFC 7807 problem+json responses of the API.</summary>
internal static class Problems
{
    /// <summary>Problem type of a request whose body or content is invalid.</summary>
    public const string ValidationType = "urn:acgs:validation-failed";

    /// <summary>Problem type of a write without the admin token.</summary>
    public const string UnauthorizedType = "urn:acgs:unauthorized";

    /// <summary>Problem type of a write while no admin token is configured.</summary>
    public const string WritesDisabledType = "urn:acgs:writes-disabled";

    /// <summary>Problem type of a missing policy or version.</summary>
    public const string NotFoundType = "urn:acgs:not-found";

    /// <summary>Problem type of a duplicate.</summary>
    public const string ConflictType = "urn:acgs:conflict";

    /// <summary>Type of a policy change refused because a service's snapshot would not compile (422).</summary>
    public const string UncompilableType = "urn:acgs:policy-would-not-compile";

    /// <summary>Problem type of a FaultInjection write refused while the chaos emergency stop is engaged (409).</summary>
    public const string EmergencyStopType = "urn:acgs:emergency-stop-engaged";

    /// <summary>The <c>code</c> of an <see cref="EmergencyStopType"/> problem.</summary>
    public const string EmergencyStopCode = "emergency_stop_engaged";

    /// <summary>The 409 answer to a FaultInjection write while the emergency stop is engaged (<c>code</c>: <see cref="EmergencyStopCode"/>).</summary>
    public static IResult EmergencyStopEngaged(string detail) => TypedResults.Problem(
        detail: detail,
        statusCode: StatusCodes.Status409Conflict,
        title: "Chaos emergency stop engaged",
        type: EmergencyStopType,
        extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = EmergencyStopCode });

    /// <summary>A problem response; <paramref name="errors"/> (when given) is listed under <c>errors</c>.</summary>
    public static IResult Create(int status, string type, string title, string detail, IReadOnlyList<string>? errors = null)
    {
        var extensions = errors is null ? null : new Dictionary<string, object?>(StringComparer.Ordinal) { ["errors"] = errors };
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type, extensions: extensions);
    }

    /// <summary>The 400 answer listing every error of <paramref name="result"/> (<c>path: message</c>), or null when it is valid.</summary>
    public static IResult? Invalid(ValidationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.IsValid
            ? null
            : Create(StatusCodes.Status400BadRequest, ValidationType, "Validation failed", $"{result.Errors.Length} problem(s).", result.Messages);
    }
}
