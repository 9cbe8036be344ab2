// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Policies;
using Acgs.ControlPlane.Compiler;
using Acgs.ControlPlane.Discovery;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.ControlPlane.Tests.Compiler;

/// <summary>A snapshot that does not compile is published without the minimal set of policies that break it, each with its own errors.</summary>
public sealed class QuarantineResolverTests
{
    private const long Revision = 4;

    private static readonly ServiceEndpoint[] Endpoints =
    [
        new() { ServiceName = "svc-1", NodeId = "n1", Address = "10.0.0.1:15006" },
        new() { ServiceName = "svc-2", NodeId = "n2", Address = "10.0.0.2:15006" },
    ];

    private static ActivePolicy Policy(string id, string target, PolicySpec spec) => new(id, "1.0.0", PolicyDocument.Create(id, target, spec));

    private static List<ActivePolicy> Policies() =>
    [
        Policy("c-route", "svc-1", new RouteSpec { Hosts = ["ship"], Cluster = "gone-2" }),
        Policy("a-route", "svc-1", new RouteSpec { Hosts = ["pay"], Cluster = "gone-1" }),
        Policy("b-route", "svc-1", new RouteSpec { Hosts = ["orders"], Cluster = "svc-2" }),
        Policy("svc-1-breaker", "svc-1", new CircuitBreakerSpec { FailMax = 6, ResetTimeoutSeconds = 30 }),
    ];

    [Fact]
    public void Compile_TwoRoutesToClustersWithoutSidecars_QuarantinesExactlyThoseInIdOrderWithTheirOwnErrors()
    {
        var result = new IncrementalCompiler().Compile("svc-1", CompilationInputs.Prepare(Policies(), Endpoints, ConstitutionalHashSet.Default), Revision, out _);

        var snapshot = Assert.IsType<Acgs.Contracts.Config.ConfigSnapshot>(result.Snapshot);
        Assert.Contains(snapshot.Routes, r => r.Host == "orders" && r.Cluster == "svc-2");
        Assert.DoesNotContain(snapshot.Routes, r => r.Host is "pay" or "ship");
        Assert.Equal(6, snapshot.Inbound.Breaker!.FailMax);
        Assert.Equal(["a-route", "c-route"], result.Quarantined.Select(q => q.PolicyId));
        Assert.All(result.Quarantined[0].Errors, e => Assert.Contains("cluster 'gone-1'", e, StringComparison.Ordinal));
        Assert.All(result.Quarantined[1].Errors, e => Assert.Contains("cluster 'gone-2'", e, StringComparison.Ordinal));
        Assert.NotEmpty(result.Quarantined[1].Errors);
    }

    [Fact]
    public void Compile_QuarantinedClusterGetsASidecar_PolicyLeavesQuarantine()
    {
        var compiler = new IncrementalCompiler();
        compiler.Compile("svc-1", CompilationInputs.Prepare(Policies(), Endpoints, ConstitutionalHashSet.Default), Revision, out _);

        ServiceEndpoint[] back = [.. Endpoints, new ServiceEndpoint { ServiceName = "gone-1", NodeId = "n3", Address = "10.0.0.3:15006" }];
        var result = compiler.Compile("svc-1", CompilationInputs.Prepare(Policies(), back, ConstitutionalHashSet.Default), Revision, out var reused);

        Assert.False(reused);
        Assert.Equal(["c-route"], result.Quarantined.Select(q => q.PolicyId));
        Assert.Contains(result.Snapshot!.Routes, r => r.Host == "pay" && r.Cluster == "gone-1");
    }

    [Fact]
    public void Compile_OtherService_IsNotAffectedAndQuarantinesNothing()
    {
        var result = new IncrementalCompiler().Compile("svc-2", CompilationInputs.Prepare(Policies(), Endpoints, ConstitutionalHashSet.Default), Revision, out _);

        Assert.NotNull(result.Snapshot);
        Assert.Empty(result.Quarantined);
    }
}
