// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Api;
using Acgs.ControlPlane.Policies;
using Microsoft.AspNetCore.Http;

namespace Acgs.ControlPlane.Policies;

/// <summary>Maps registry failures onto problem+json responses.</summary>
internal static class RegistryResults
{
    /// <summary>The problem response for a failed <paramref name="result"/>.</summary>
    public static IResult ToProblem(RegistryResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var detail = result.Errors.Count > 0 ? string.Join("; ", result.Errors) : "The request failed.";
        return result.Status switch
        {
            RegistryStatus.NotFound => Problems.Create(StatusCodes.Status404NotFound, Problems.NotFoundType, "Not found", detail),
            RegistryStatus.Conflict => Problems.Create(StatusCodes.Status409Conflict, Problems.ConflictType, "Conflict", detail),
            RegistryStatus.EmergencyStop => Problems.EmergencyStopEngaged(detail),
            RegistryStatus.Uncompilable => Problems.Create(StatusCodes.Status422UnprocessableEntity, Problems.UncompilableType, "Would not compile",
                $"{result.Errors.Count} problem(s): the change would stop these services' snapshots from compiling; nothing changed.", result.Errors),
            _ => Problems.Create(StatusCodes.Status400BadRequest, Problems.ValidationType, "Validation failed",
                $"{result.Errors.Count} problem(s); nothing was stored.", result.Errors),
        };
    }
}
