// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.TrafficSplit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Acgs.Sidecar.Tests.TrafficSplit;

/// <summary>The split policy on hand-made candidate sets: one survivor per group, weights honoured, nothing allocated.</summary>
public sealed class TrafficSplitMatcherPolicyTests
{
    private static Endpoint Share(string id, string? split) => new(
        static _ => Task.CompletedTask,
        new EndpointMetadataCollection(new RouteModel(
            new RouteConfig
            {
                RouteId = id,
                ClusterId = id,
                Metadata = split is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [TrafficSplitMetadata.Key] = split },
            },
            cluster: null,
            HttpTransformer.Default)),
        id);

    private static CandidateSet Candidates(params Endpoint[] endpoints) =>
        new(endpoints, new RouteValueDictionary[endpoints.Length], new int[endpoints.Length]);

    private static int Survivor(CandidateSet set, int from, int to)
    {
        var survivor = -1;
        for (var i = from; i <= to; i++)
        {
            if (set.IsValidCandidate(i))
            {
                Assert.Equal(-1, survivor);
                survivor = i;
            }
        }

        return survivor;
    }

    [Fact]
    public async Task ApplyAsync_TwoGroupsAndAPlainRoute_OneSurvivorPerGroupPlainUntouched()
    {
        var policy = new TrafficSplitMatcherPolicy(new Random(3));
        var counts = new int[5];
        for (var n = 0; n < 1000; n++)
        {
            var set = Candidates(Share("g0-green", "0/1/25"), Share("plain", null), Share("g0-blue", "0/0/75"), Share("g1-a", "1/0/1"), Share("g1-b", "1/1/1"));
            await policy.ApplyAsync(new DefaultHttpContext(), set);

            Assert.True(set.IsValidCandidate(1));
            counts[Survivor(set, 0, 0) >= 0 ? 0 : 2]++;
            Assert.Equal(1, (set.IsValidCandidate(0) ? 1 : 0) + (set.IsValidCandidate(2) ? 1 : 0));
            counts[set.IsValidCandidate(3) ? 3 : 4]++;
            Assert.Equal(1, (set.IsValidCandidate(3) ? 1 : 0) + (set.IsValidCandidate(4) ? 1 : 0));
        }

        Assert.InRange(counts[0], 180, 320); // green, 25 %
        Assert.Equal(1000, counts[0] + counts[2]);
        Assert.InRange(counts[3], 420, 580); // 50 / 50
    }

    [Fact]
    public void AppliesToEndpoints_OnlyWithSplitMetadata()
    {
        var policy = new TrafficSplitMatcherPolicy(Random.Shared);

        Assert.False(policy.AppliesToEndpoints([Share("plain", null), Share("bad", "x/y")]));
        Assert.True(policy.AppliesToEndpoints([Share("plain", null), Share("s", "0/0/1")]));
    }

    [Fact]
    public async Task ApplyAsync_SteadyState_AllocatesNothing()
    {
        var policy = new TrafficSplitMatcherPolicy(new Random(11));
        var endpoints = new[] { Share("blue", "0/0/90"), Share("green", "0/1/10"), Share("plain", null) };
        var context = new DefaultHttpContext();
        var sets = new CandidateSet[2000];
        for (var i = 0; i < sets.Length; i++)
        {
            sets[i] = Candidates(endpoints);
        }

        for (var i = 0; i < 1000; i++)
        {
            await policy.ApplyAsync(context, sets[i]); // warm-up (metadata caches, JIT tiers)
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1000; i < 2000; i++)
        {
            _ = policy.ApplyAsync(context, sets[i]);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
