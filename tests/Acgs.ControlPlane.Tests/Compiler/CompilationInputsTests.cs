// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Policies;
using Acgs.ControlPlane.Compiler;
using Acgs.ControlPlane.Discovery;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.ControlPlane.Tests.Compiler;

/// <summary>The per-pass policy index gives each service what reading every policy gives, in the same order.</summary>
public sealed class CompilationInputsTests
{
    private static readonly ServiceEndpoint[] Endpoints =
    [
        new() { ServiceName = "svc-a", NodeId = "n1", Address = "10.0.0.1:15006" },
        new() { ServiceName = "svc-b", NodeId = "n2", Address = "10.0.0.2:15006" },
    ];

    private static ActivePolicy Policy(string id, string target, PolicySpec spec) => new(id, "1.0.0", PolicyDocument.Create(id, target, spec));

    // Interleaved: mesh-wide, own, another service's (resilience and split count for every service, Egress and Route do not).
    private static readonly List<ActivePolicy> Policies =
    [
        Policy("a-egress", "svc-a", new EgressSpec(["svc-b"])),
        Policy("mesh-breaker", PolicyDocument.MeshTarget, new CircuitBreakerSpec(FailMax: 7)),
        Policy("b-egress", "svc-b", new EgressSpec(["svc-a"])),
        Policy("a-route", "svc-a", new RouteSpec { Hosts = ["api"], Cluster = "svc-c", Destinations = ["http://10.0.0.9:80"] }),
        Policy("b-split", "svc-b", new TrafficSplitSpec { BlueCluster = "svc-b", GreenCluster = "svc-b-green", BlueWeight = 90, GreenWeight = 10 }),
        Policy("a-breaker", "svc-a", new CircuitBreakerSpec(FailMax: 3)),
        Policy("c-timeout", "svc-c", new TimeoutSpec(RequestTimeoutMs: 500)),
        Policy("b-route", "svc-b", new RouteSpec { Hosts = ["other"], Cluster = "svc-d", Destinations = ["http://10.0.0.8:80"] }),
    ];

    [Theory]
    [InlineData("svc-a")]
    [InlineData("svc-b")]
    [InlineData("svc-unknown")]
    public void ApplicableTo_InterleavedPolicies_EveryPolicyThatAppliesInPolicyOrder(string service)
    {
        var inputs = CompilationInputs.Prepare(Policies, Endpoints, ConstitutionalHashSet.Default);

        Assert.Equal(
            Policies.Where(p => SnapshotCompiler.AppliesTo(p, service)).Select(p => p.PolicyId),
            inputs.ApplicableTo(service).Select(p => p.PolicyId));
        Assert.Equal(
            SnapshotCompiler.ScopeOf(service, Policies)?.Order(StringComparer.Ordinal),
            inputs.ScopeOf(service)?.Order(StringComparer.Ordinal));
        Assert.Same(inputs.ApplicableTo(service), inputs.ApplicableTo(service)); // once per pass
    }
}
