// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Api;
using Acgs.ControlPlane.Chaos;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Acgs.ControlPlane.Chaos;

/// <summary>
/// The chaos emergency stop under <c>/api/v1/chaos/emergency-stop</c>: <c>GET</c> its state (open like the
/// other reads), <c>POST</c> engage with <c>{"reason": "..."}</c> and <c>DELETE</c> lift (writes: admin token).
/// </summary>
internal static class ChaosEndpoints
{
    private const string Actor = "admin";
    private const string Route = "/api/v1/chaos/emergency-stop";

    /// <summary>Maps the chaos endpoints.</summary>
    public static IEndpointRouteBuilder MapChaosEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Route, GetAsync);
        endpoints.MapPost(Route, EngageAsync).WithMetadata(RequiresAdminToken.Instance);
        endpoints.MapDelete(Route, LiftAsync).WithMetadata(RequiresAdminToken.Instance);
        return endpoints;
    }

    private static async Task<IResult> GetAsync(EmergencyStopService service, CancellationToken cancellationToken)
    {
        var stop = await service.GetAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(EmergencyStopView.From(stop, engaged: stop is not null, changed: false));
    }

    private static async Task<IResult> EngageAsync(EmergencyStopRequest? request, EmergencyStopService service, CancellationToken cancellationToken)
    {
        var reason = request?.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > EmergencyStopService.MaxReasonLength)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, Problems.ValidationType, "Validation failed", "1 problem(s); nothing was stored.",
                [$"reason: is required, 1-{EmergencyStopService.MaxReasonLength} characters"]);
        }

        var (stop, engaged) = await service.EngageAsync(reason, Actor, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(EmergencyStopView.From(stop, engaged: true, changed: engaged));
    }

    private static async Task<IResult> LiftAsync(EmergencyStopService service, CancellationToken cancellationToken)
    {
        var lifted = await service.LiftAsync(Actor, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(EmergencyStopView.From(lifted, engaged: false, changed: lifted is not null));
    }
}
