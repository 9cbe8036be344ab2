// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.ControlPlane.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.ControlPlane.Discovery;

/// <summary>
/// Discovery endpoints beside the watch stream. <c>PUT /api/v1/discovery/{service}/{node}/agents</c> with
/// <c>{"bus_address":"10.0.0.5:8080","agents":["agent-a"]}</c> records which agents are connected to a
/// sidecar's bus (204; 400 listing every problem; 401 without the sidecar token when one is configured —
/// the same check as the watch stream). A report that changes something triggers a recompile and push of
/// every service's snapshot (their <c>agent_directory</c>). <c>GET /api/v1/discovery/agents</c> lists the
/// agent directory as the compiler sees it.
/// </summary>
internal static class DiscoveryEndpoints
{
    /// <summary>Most agents one report may list.</summary>
    public const int MaxAgentsPerReport = 10_000;

    /// <summary>Maps the discovery endpoints.</summary>
    public static IEndpointRouteBuilder MapDiscoveryEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/discovery");
        group.MapPut("/{service}/{node}/agents", ReportAsync);
        group.MapGet("/agents", ListAsync);
        return endpoints;
    }

    /// <summary>Every problem with a report; empty when it is valid.</summary>
    public static List<string> Validate(string? service, string? node, AgentReportRequest? body)
    {
        var errors = new List<string>();
        if (!Naming.IsName(service))
        {
            errors.Add("service: must be 1-253 characters of lowercase letters, digits, '-', '.', '_'");
        }

        if (string.IsNullOrEmpty(node) || node.Length > 253 || !Naming.IsPrintable(node))
        {
            errors.Add("node: must be 1-253 printable ASCII characters");
        }

        if (body is null)
        {
            errors.Add("body: a JSON object with bus_address and agents is required");
            return errors;
        }

        if (!ConfigSnapshotValidator.IsBusAddress(body.BusAddress))
        {
            errors.Add("bus_address: must be the sidecar's bus address, ip:port (IPv6 as [addr]:port)");
        }

        if (body.Agents is null)
        {
            errors.Add("agents: is required (use [] for none)");
            return errors;
        }

        if (body.Agents.Count > MaxAgentsPerReport)
        {
            errors.Add($"agents: at most {MaxAgentsPerReport} agents per report");
        }

        for (var i = 0; i < body.Agents.Count; i++)
        {
            var agent = body.Agents[i];
            if (string.IsNullOrEmpty(agent) || agent.Length > ConfigSnapshotValidator.MaxAgentIdLength || !Naming.IsPrintable(agent))
            {
                errors.Add($"agents[{i}]: must be 1-{ConfigSnapshotValidator.MaxAgentIdLength} printable ASCII characters without spaces");
            }
        }

        return errors;
    }

    private static async Task<IResult> ReportAsync(HttpContext context, string service, string node, ServiceDirectory directory)
    {
        var verifier = context.RequestServices.GetRequiredKeyedService<BearerTokenVerifier>(ServiceKeys.Sidecar);
        if (verifier.IsConfigured && !verifier.Verify(context.Request.Headers.Authorization))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Create(StatusCodes.Status401Unauthorized, Problems.UnauthorizedType, "Unauthorized", "A valid sidecar token is required.");
        }

        AgentReportRequest? body;
        try
        {
            body = await context.Request.ReadFromJsonAsync<AgentReportRequest>(context.RequestAborted).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException ex)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, Problems.ValidationType, "Validation failed", "1 problem(s).", ["body: invalid JSON: " + ex.Message]);
        }
        catch (InvalidOperationException)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, Problems.ValidationType, "Validation failed", "1 problem(s).", ["body: must be application/json"]);
        }

        var errors = Validate(service, node, body);
        if (errors.Count > 0)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, Problems.ValidationType, "Validation failed", $"{errors.Count} problem(s).", errors);
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
