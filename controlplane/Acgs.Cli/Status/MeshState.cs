// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Nodes;
using Acgs.Cli.Api;

namespace Acgs.Cli.Status;

/// <summary>What <c>status</c> and <c>check</c> read from the control plane, fetched in parallel.</summary>
internal sealed record MeshState(
    ApiResponse Ready,
    ApiResponse Mesh,
    ApiResponse Services,
    ApiResponse Sidecars,
    ApiResponse Rollouts,
    ApiResponse Recovery,
    ApiResponse EmergencyStop,
    ApiResponse TrustBundle,
    ApiResponse Audit)
{
    public static async Task<MeshState> FetchAsync(ControlPlaneApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var ready = api.GetAsync("health/ready", cancellationToken);
        var mesh = api.GetAsync("api/v1/health/mesh", cancellationToken);
        var services = api.GetAsync("api/v1/health/services", cancellationToken);
        var sidecars = api.GetAsync("api/v1/discovery/sidecars", cancellationToken);
        var rollouts = api.GetAsync("api/v1/rollouts", cancellationToken);
        var recovery = api.GetAsync("api/v1/recovery/tasks", cancellationToken);
        var stop = api.GetAsync("api/v1/chaos/emergency-stop", cancellationToken);
        var bundle = api.GetAsync("api/v1/identity/trust-bundle", cancellationToken);
        var audit = api.GetAsync("api/v1/audit?limit=1", cancellationToken);
        await Task.WhenAll(ready, mesh, services, sidecars, rollouts, recovery, stop, bundle, audit).ConfigureAwait(false);
        return new MeshState(await ready.ConfigureAwait(false), await mesh.ConfigureAwait(false), await services.ConfigureAwait(false),
            await sidecars.ConfigureAwait(false), await rollouts.ConfigureAwait(false), await recovery.ConfigureAwait(false),
            await stop.ConfigureAwait(false), await bundle.ConfigureAwait(false), await audit.ConfigureAwait(false));
    }

    /// <summary>Every part as one JSON object (for <c>--output json</c>); a failed part is its status code and problem.</summary>
    public JsonObject ToJson() => new()
    {
        ["ready"] = Part(Ready),
        ["mesh"] = Part(Mesh),
        ["services"] = Part(Services),
        ["sidecars"] = Part(Sidecars),
        ["rollouts"] = Part(Rollouts),
        ["recovery"] = Part(Recovery),
        ["emergency_stop"] = Part(EmergencyStop),
        ["trust_bundle"] = Part(TrustBundle),
        ["audit"] = Part(Audit),
    };

    /// <summary>The health view of one service's node, if the control plane has one.</summary>
    public JsonObject? NodeHealth(string service, string node)
    {
        if (Services.Body?["services"] is not JsonArray services)
        {
            return null;
        }

        foreach (var entry in services)
        {
            if (entry?["service"]?.GetValue<string>() == service && entry["nodes"] is JsonArray nodes)
            {
                foreach (var candidate in nodes)
                {
                    if (candidate?["node"]?.GetValue<string>() == node)
                    {
                        return candidate.AsObject();
                    }
                }
            }
        }

        return null;
    }

    private static JsonNode? Part(ApiResponse response) => response.IsSuccess
        ? response.Body?.DeepClone()
        : new JsonObject { ["status"] = response.Status, ["problem"] = response.Body?.DeepClone() };
}
