// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace Acgs.Sidecar.TrafficSplit;

/// <summary>
/// Weighted traffic split (snapshot <c>routes[].weighted_clusters</c>, blue/green) as an endpoint-selector
/// policy: a split route is compiled into one YARP route per cluster with the same match (see
/// <see cref="TrafficSplitMetadata"/>); for each request this policy keeps exactly one of them valid,
/// chosen with probability weight / sum of weights, and invalidates the others. Each share keeps its own
/// YARP cluster, so breakers, timeouts, retries and telemetry stay per cluster. Endpoints without split
/// metadata are untouched and, in routing states without split routes, the policy never runs.
/// Allocation-free per request; the random source is injectable (seeded in tests).
/// </summary>
internal sealed class TrafficSplitMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    private readonly Random _random;

    /// <summary>Creates the policy with <paramref name="random"/> (<see cref="Random.Shared"/> in production).</summary>
    public TrafficSplitMatcherPolicy(Random random) => _random = random;

    /// <inheritdoc />
    public override int Order => 100;

    /// <inheritdoc />
    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        for (var i = 0; i < endpoints.Count; i++)
        {
            if (TrafficSplitMetadata.TryGet(endpoints[i], out _, out _, out _))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i) && TrafficSplitMetadata.TryGet(candidates[i].Endpoint, out var group, out _, out _))
            {
                Pick(candidates, i, group);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Keeps one valid candidate of <paramref name="group"/> (from index <paramref name="first"/> on): a draw in
    /// [0, total weight) is mapped onto the shares in their <c>weighted_clusters</c> order (not candidate order).
    /// </summary>
    private void Pick(CandidateSet candidates, int first, int group)
    {
        var total = 0;
        var count = 0;
        var maxShare = 0;
        for (var j = first; j < candidates.Count; j++)
        {
            if (IsShare(candidates, j, group, out var share, out var weight))
            {
                total += weight;
                count++;
                maxShare = Math.Max(maxShare, share);
            }
        }

        if (count <= 1)
        {
            return; // already decided (or a single share)
        }

        var draw = total > 0 ? _random.Next(total) : 0;
        var chosen = -1;
        for (var wanted = 0; wanted <= maxShare && chosen < 0; wanted++)
        {
            for (var j = first; j < candidates.Count; j++)
            {
                if (IsShare(candidates, j, group, out var share, out var weight) && share == wanted)
                {
                    if (draw < weight)
                    {
                        chosen = j;
                    }

                    draw -= weight;
                    break;
                }
            }
        }

        for (var j = first; j < candidates.Count; j++)
        {
            if (j != chosen && IsShare(candidates, j, group, out _, out _) && (chosen >= 0 || j != first))
            {
                candidates.SetValidity(j, false);
            }
        }
    }

    private static bool IsShare(CandidateSet candidates, int index, int group, out int share, out int weight)
    {
        share = 0;
        weight = 0;
        return candidates.IsValidCandidate(index)
            && TrafficSplitMetadata.TryGet(candidates[index].Endpoint, out var g, out share, out weight)
            && g == group;
    }
}
