// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// Endpoint-selector policy that keeps each endpoint on its own listener: a candidate whose
/// <see cref="ListenerMetadata"/> names another listener than the request's local port is dropped.
/// So the inbound catch-all route, the outbound host routes and the admin endpoints share one
/// routing table without ever answering on each other's port. Allocation-free per request.
/// </summary>
internal sealed class ListenerMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    private readonly ListenerPorts _ports;

    /// <summary>Creates the policy.</summary>
    public ListenerMatcherPolicy(ListenerPorts ports) => _ports = ports;

    /// <inheritdoc />
    public override int Order => 0;

    /// <inheritdoc />
    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        for (var i = 0; i < endpoints.Count; i++)
        {
            if (endpoints[i].Metadata.GetMetadata<ListenerMetadata>() is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(candidates);
        var listener = _ports.Classify(httpContext.Connection.LocalPort);
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i))
            {
                continue;
            }

            var metadata = candidates[i].Endpoint.Metadata.GetMetadata<ListenerMetadata>();
            if (metadata is not null && metadata.Kind != listener)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
