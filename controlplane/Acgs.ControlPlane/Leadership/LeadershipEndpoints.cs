// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Acgs.ControlPlane.Leadership;

/// <summary>
/// <c>GET /api/v1/leader</c> (read scope): which replica answers, whether it leads and which replica does —
/// <c>{"replica":"b","mode":"elected","is_leader":false,"leader":{"replica":"a","url":"http://10.0.0.7:8000"}}</c>;
/// <c>"mode":"single"</c> with the embedded store, whose only replica always leads; <c>"leader":null</c> while none is known.
/// </summary>
internal static class LeadershipEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapLeadershipEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/leader", static (ILeadership leadership, Hosting.ControlPlaneOptions options) => TypedResults.Ok(new LeadershipView(
            options.ReplicaId,
            leadership is SoleLeadership ? "single" : "elected",
            leadership.IsLeader,
            leadership.Leader is { } leader ? new LeaderView(leader.Replica, leader.Url) : null)));
        return endpoints;
    }

    /// <summary>The answer.</summary>
    internal sealed record LeadershipView(string Replica, string Mode, bool IsLeader, LeaderView? Leader);

    /// <summary>The leader.</summary>
    internal sealed record LeaderView(string Replica, string Url);
}
