// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Store;
using Acgs.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Acgs.ControlPlane.Health;

/// <summary><c>/health/live</c>, <c>/health/ready</c> (store reachable) and <c>/health/startup</c>; never need a token or the hash.</summary>
internal static class HealthEndpoints
{
    /// <summary>Maps the probes.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health/live", static () => TypedResults.Ok(new HealthView("live", null, AcgsConstants.ConstitutionalHash)));
        endpoints.MapGet("/health/startup", static (StartupState state) => state.IsStarted
            ? Results.Ok(new HealthView("started", null, AcgsConstants.ConstitutionalHash))
            : Results.Json(new HealthView("starting", null, AcgsConstants.ConstitutionalHash), statusCode: StatusCodes.Status503ServiceUnavailable));
        endpoints.MapGet("/health/ready", ReadyAsync);
        return endpoints;
    }

    private static async Task<IResult> ReadyAsync(StartupState state, IPolicyStore store, CancellationToken cancellationToken)
    {
        var reachable = state.IsStarted && await store.PingAsync(cancellationToken).ConfigureAwait(false);
        var view = new HealthView(reachable ? "ready" : "not_ready", store.Kind + (reachable ? " reachable" : " unreachable"), AcgsConstants.ConstitutionalHash);
        return reachable ? Results.Ok(view) : Results.Json(view, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
