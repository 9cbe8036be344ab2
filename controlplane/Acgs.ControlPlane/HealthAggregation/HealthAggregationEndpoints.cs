// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.ControlPlane;
using Acgs.Contracts.Health;
using Acgs.Contracts.Serialization;
using Acgs.ControlPlane.Api;
using Acgs.ControlPlane.Distribution;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary>
/// Mesh health: <c>PUT /api/v1/health/{service}/{node}</c> with a <see cref="HealthReport"/>
/// (<c>{"clusters":[{"name":"orders","state":"closed|open|half_open"}],"requests_total":1,"errors_total":0}</c>)
/// records a sidecar's breaker states (204; 400 listing every problem and changing nothing; 401 without an accepted
/// credential, 403 when a workload reports for another service or node — <see cref="SidecarAccess"/>, as the agent report).
/// <c>DELETE /api/v1/health/{service}/{node}</c> (same check) forgets the node at once — a sidecar deregistering on shutdown: 204, 404 when unknown, 400 on invalid
/// names. <c>GET /api/v1/health/services</c>,
/// <c>GET /api/v1/health/services/{service}</c> (404 when it never reported) and <c>GET /api/v1/health/mesh</c> read
/// the aggregated scores, statuses and 5-minute histories, the golden metrics (success rate, rps, p99, edges) and the config
/// state of the sidecars watching this replica (<see cref="HealthConfig"/>).
/// </summary>
internal static class HealthAggregationEndpoints
{
    /// <summary>Maps the health-aggregation endpoints.</summary>
    public static IEndpointRouteBuilder MapHealthAggregationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(ControlPlaneRoutes.HealthGroup);
        group.MapPut(ControlPlaneRoutes.NodeHealthTemplate, ReportAsync);
        group.MapDelete(ControlPlaneRoutes.NodeHealthTemplate, ForgetAsync);
        group.MapGet("/services", static (HealthAggregator aggregator, IServiceProvider services) =>
        {
            var views = HealthConfig.Attach(aggregator.Services(), services.GetService<DistributionHub>());
            return TypedResults.Ok(new Dictionary<string, object>(StringComparer.Ordinal) { ["services"] = views, ["count"] = views.Count });
        });
        group.MapGet("/services/{service}", static (string service, HealthAggregator aggregator, IServiceProvider services) => aggregator.Service(service) is { } view
            ? TypedResults.Ok(HealthConfig.Attach(view, services.GetService<DistributionHub>()))
            : Problems.Create(StatusCodes.Status404NotFound, Problems.NotFoundType, "Not found", $"service '{service}' has no health reports"));
        group.MapGet("/mesh", static (HealthAggregator aggregator, IServiceProvider services) =>
            TypedResults.Ok(HealthConfig.Attach(aggregator.Mesh(), services.GetService<DistributionHub>())));
        return endpoints;
    }

    private static async Task<IResult> ForgetAsync(HttpContext context, string service, string node, HealthAggregator aggregator, SidecarAccess access)
    {
        var (caller, unauthorized) = access.Authenticate(context, "deregister");
        if (unauthorized is not null)
        {
            return unauthorized;
        }

        if (Problems.Invalid(SidecarNode.ValidateDeregistration(service, node)) is { } invalid)
        {
            return invalid;
        }

        if (await access.AuthorizeAsync(caller!, "deregister", service, node, context.RequestAborted).ConfigureAwait(false) is { } forbidden)
        {
            return forbidden;
        }

        var known = aggregator.Forget(service, node);
        context.RequestServices.GetService<HealthReplication>()?.Forgotten(service, node); // other replicas may know the node even when this one does not
        return known
            ? TypedResults.NoContent()
            : Problems.Create(StatusCodes.Status404NotFound, Problems.NotFoundType, "Not found", $"node '{node}' of service '{service}' has no health report");
    }

    private static async Task<IResult> ReportAsync(HttpContext context, string service, string node, HealthAggregator aggregator)
    {
        var (body, refusal) = await SidecarRequests.ReceiveAsync(
            context, "health", AcgsJsonContext.Default.HealthReport, report => HealthReportValidator.Validate(service, node, report), _ => (service, node)).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        aggregator.Report(service, node, body!);
        context.RequestServices.GetService<HealthReplication>()?.Reported(service, node, body!);
        return TypedResults.NoContent();
    }
}
