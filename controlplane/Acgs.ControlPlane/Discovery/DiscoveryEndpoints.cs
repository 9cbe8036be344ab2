// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.ControlPlane;
using Acgs.Contracts.Discovery;
using Acgs.Contracts.Serialization;
using Acgs.ControlPlane.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Acgs.ControlPlane.Discovery;

/// <summary>
/// Discovery endpoints beside the watch stream. <c>PUT /api/v1/discovery/{service}/{node}/agents</c> with a
/// <see cref="BusAgentReport"/> (<c>{"bus_address":"10.0.0.5:8080","agents":["agent-a"]}</c>) records which agents are connected to a
/// sidecar's bus (204; 400 listing every problem; 401 without an accepted credential, 403 when a workload reports
/// for another service or node — the same check as the watch stream, <see cref="SidecarAccess"/>). A report that changes something triggers a recompile and push of
/// every service's snapshot (their <c>agent_directory</c>). <c>GET /api/v1/discovery/agents</c> lists the
/// agent directory as the compiler sees it.
/// </summary>
internal static class DiscoveryEndpoints
{
    /// <summary>Maps the discovery endpoints.</summary>
    public static IEndpointRouteBuilder MapDiscoveryEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(ControlPlaneRoutes.DiscoveryGroup);
        group.MapPut(ControlPlaneRoutes.AgentReportTemplate, ReportAsync);
        group.MapGet("/agents", ListAsync);
        return endpoints;
    }

    private static async Task<IResult> ReportAsync(HttpContext context, string service, string node, ServiceDirectory directory)
    {
        var (body, refusal) = await SidecarRequests.ReceiveAsync(
            context, "agents", AcgsJsonContext.Default.BusAgentReport, report => BusAgentReportValidator.Validate(service, node, report), _ => (service, node)).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        await directory.ReportAgentsAsync(service, node, body!.BusAddress!, body.Agents!.Select(a => a!)).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> ListAsync(ServiceDirectory directory)
    {
        var endpoints = await directory.ListAsync().ConfigureAwait(false);
        var agents = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (endpoint.BusAddress is null)
            {
                continue;
            }

            foreach (var agent in endpoint.Agents)
            {
                agents.TryAdd(agent, endpoint.BusAddress);
            }
        }

        return TypedResults.Ok(new Dictionary<string, object>(StringComparer.Ordinal) { ["agent_directory"] = agents, ["count"] = agents.Count });
    }
}
