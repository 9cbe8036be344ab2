// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;
using Acgs.ControlPlane.Compiler;
using Acgs.ControlPlane.Discovery;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.ControlPlane.Tests.Compiler;

/// <summary>Route path prefixes, TrafficSplit, FaultInjection and the agent directory in compiled snapshots.</summary>
public sealed class SnapshotCompilerTrafficTests
{
    private static readonly DateTimeOffset Activated = new(2026, 11, 26, 21, 0, 0, TimeSpan.Zero);

    private static readonly ServiceEndpoint[] Endpoints =
    [
        new() { ServiceName = "orders-blue", NodeId = "b1", Address = "10.0.0.1:15006", BusAddress = "10.0.0.1:8080", Agents = ["agent-a", "agent-b"] },
        new() { ServiceName = "orders-green", NodeId = "g1", Address = "10.0.0.2:15006", BusAddress = "10.0.0.2:8080", Agents = ["agent-b", "agent-c"] },
        new() { ServiceName = "vector-search", NodeId = "v1", Address = "10.0.0.3:15006" },
    ];

    private static ActivePolicy Policy(string id, string target, PolicySpec spec) => new(id, "1.0.0", PolicyDocument.Create(id, target, spec), Activated);

    private static CompileResult Compile(string service, params ActivePolicy[] policies) =>
        SnapshotCompiler.Compile(service, policies, Endpoints, 3, ConstitutionalHashSet.Default);

    [Fact]
    public void Compile_RouteWithPathPrefix_BecomesPrefixRoute()
    {
        var result = Compile("vector-search",
            Policy("v2", "mesh", new RouteSpec { Hosts = ["orders"], PathPrefix = "/v2", Cluster = "orders-green" }),
            Policy("root", "vector-search", new RouteSpec { Hosts = ["orders"], Cluster = "orders-blue" }));

        Assert.Empty(result.Errors);
        var routes = result.Snapshot!.Routes;
        Assert.Contains(routes, r => r.Host == "orders" && r.PathPrefix == "/v2" && r.Cluster == "orders-green");
        Assert.Contains(routes, r => r.Host == "orders" && r.PathPrefix is null && r.Cluster == "orders-blue");
    }

    [Fact]
    public void Compile_ServiceRouteOverMeshRouteSamePrefix_ServiceWins()
    {
        var result = Compile("vector-search",
            Policy("mesh-route", "mesh", new RouteSpec { Hosts = ["orders"], PathPrefix = "/v2", Cluster = "orders-green" }),
            Policy("own-route", "vector-search", new RouteSpec { Hosts = ["ORDERS"], PathPrefix = "/V2/", Cluster = "orders-blue" }));

        Assert.Empty(result.Errors);
        Assert.Single(result.Snapshot!.Routes, r => r.PathPrefix is not null);
        Assert.Contains(result.Snapshot.Routes, r => r.PathPrefix is not null && r.Cluster == "orders-blue");
    }

    [Fact]
    public void Compile_TwoRoutesSamePrefixSameSpecificity_Conflict()
    {
        var result = Compile("vector-search",
            Policy("one", "mesh", new RouteSpec { Hosts = ["orders"], PathPrefix = "/v2", Cluster = "orders-green" }),
            Policy("two", "mesh", new RouteSpec { Hosts = ["orders"], PathPrefix = "/v2/", Cluster = "orders-blue" }),
            Policy("three", "mesh", new RouteSpec { Hosts = ["orders"], PathPrefix = "/v3", Cluster = "orders-blue" }));

        Assert.Null(result.Snapshot);
        Assert.Single(result.Errors);
        Assert.Contains("'one' and 'two'", result.Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_TrafficSplit_RouteToServiceBecomesWeightedBlueGreen()
    {
        var result = Compile("vector-search",
            Policy("orders-route", "mesh", new RouteSpec { Hosts = ["orders.example"], Cluster = "orders", Destinations = ["http://10.0.0.9:80"] }),
            Policy("orders-split", "orders", new TrafficSplitSpec { BlueCluster = "orders-blue", BlueWeight = 80, GreenCluster = "orders-green", GreenWeight = 20 }));

        Assert.Empty(result.Errors);
        foreach (var host in new[] { "orders", "orders.example" })
        {
            var route = Assert.Single(result.Snapshot!.Routes, r => r.Host == host);
            Assert.Equal("orders-blue", route.Cluster);
            Assert.Equal([("orders-blue", 80), ("orders-green", 20)], route.WeightedClusters.Select(w => (w.Cluster, w.Weight)).ToArray());
        }

        Assert.Empty(ConfigSnapshotValidator.Validate(result.Snapshot));
    }

    [Fact]
    public void Compile_TrafficSplitToUnknownCluster_Error()
    {
        var result = Compile("vector-search",
            Policy("orders-split", "orders", new TrafficSplitSpec { BlueCluster = "orders-blue", BlueWeight = 50, GreenCluster = "orders-purple", GreenWeight = 50 }));

        Assert.Null(result.Snapshot);
        Assert.Contains(result.Errors, e => e.Contains("'orders-purple' has no sidecars", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_FaultInjection_ServiceOverMeshInboundRuleWithExpiry()
    {
        var mesh = Policy("mesh-chaos", "mesh", new FaultInjectionSpec { DelayMs = 100, Percentage = 50, DurationSeconds = 30 });
        var own = Policy("search-chaos", "vector-search", new FaultInjectionSpec { DelayMs = 250, AbortStatus = 503, Percentage = 25, DurationSeconds = 120, Route = "/search" });

        var rule = Assert.Single(Compile("vector-search", mesh, own).Snapshot!.FaultRules);
        var meshRule = Assert.Single(Compile("orders-blue", mesh, own).Snapshot!.FaultRules);

        Assert.Equal("search-chaos", rule.Name);
        Assert.True(rule.Inbound);
        Assert.Null(rule.Cluster);
        Assert.Equal("/search", rule.PathPrefix);
        Assert.Equal(250, rule.Delay!.FixedDelayMs);
        Assert.Equal(25, rule.Delay.Percentage);
        Assert.Equal(503, rule.Abort!.HttpStatus);
        Assert.Equal(Activated.AddSeconds(120), rule.ExpiresAt);
        Assert.Equal("mesh-chaos", meshRule.Name);
        Assert.Null(meshRule.Abort);
        Assert.Equal(Activated.AddSeconds(30), meshRule.ExpiresAt);
    }

    [Fact]
    public void Compile_FaultInjectionForceOpenOnly_ClusterRuleInEverySnapshotNoInboundRule()
    {
        var policy = Policy("open", "vector-search", new FaultInjectionSpec { ForceOpenBreaker = true, DurationSeconds = 45 });

        var caller = Compile("orders-blue", policy);
        var own = Compile("vector-search", policy);

        foreach (var result in new[] { caller, own })
        {
            Assert.Empty(result.Errors);
            Assert.DoesNotContain(result.Warnings, w => w.Contains("force_open_breaker", StringComparison.Ordinal));
            var rule = Assert.Single(result.Snapshot!.FaultRules);
            Assert.Equal("open", rule.Name);
            Assert.Equal("vector-search", rule.Cluster);
            Assert.False(rule.Inbound);
            Assert.True(rule.ForceOpenBreaker);
            Assert.Null(rule.Delay);
            Assert.Null(rule.Abort);
            Assert.Null(rule.PathPrefix);
            Assert.Equal(Activated.AddSeconds(45), rule.ExpiresAt);
            Assert.Empty(ConfigSnapshotValidator.Validate(result.Snapshot));
        }
    }

    [Fact]
    public void Compile_FaultInjectionAbortAndForceOpen_InboundRuleAndClusterRule()
    {
        var result = Compile("vector-search", Policy("both", "vector-search", new FaultInjectionSpec { AbortStatus = 503, ForceOpenBreaker = true }));

        Assert.Empty(result.Errors);
        Assert.Collection(
            result.Snapshot!.FaultRules,
            inbound => Assert.True(inbound.Inbound && inbound.Abort!.HttpStatus == 503 && !inbound.ForceOpenBreaker),
            forced => Assert.True(forced.Cluster == "vector-search" && forced.ForceOpenBreaker && forced.Abort is null));
    }

    [Fact]
    public void Compile_MeshForceOpenWithServiceOverride_EachClusterByItsOwnPolicy()
    {
        var mesh = Policy("mesh-open", "mesh", new FaultInjectionSpec { ForceOpenBreaker = true, DurationSeconds = 30 });
        var green = Policy("green-slow", "orders-green", new FaultInjectionSpec { DelayMs = 100 });

        var result = Compile("vector-search", mesh, green);

        Assert.Empty(result.Errors);
        var forced = result.Snapshot!.FaultRules.Where(r => r.ForceOpenBreaker).ToList();
        Assert.Equal(["orders-blue", "vector-search"], forced.Select(r => r.Cluster));
        Assert.All(forced, r => Assert.Equal("mesh-open", r.Name));
        Assert.DoesNotContain(result.Snapshot.FaultRules, r => r.Cluster == "orders-green");
    }

    [Fact]
    public void Compile_ForceOpenWithRoute_WarnsRouteDoesNotNarrow()
    {
        var result = Compile("vector-search", Policy("open", "vector-search", new FaultInjectionSpec { ForceOpenBreaker = true, Route = "/search" }));

        Assert.Empty(result.Errors);
        Assert.Null(Assert.Single(result.Snapshot!.FaultRules).PathPrefix);
        Assert.Contains(result.Warnings, w => w.Contains("route does not narrow force_open_breaker", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_AgentReports_FillDirectoryFirstReporterWins()
    {
        var result = Compile("vector-search");

        var directory = result.Snapshot!.AgentDirectory;
        Assert.Equal(3, directory.Count);
        Assert.Equal("10.0.0.1:8080", directory["agent-a"]);
        Assert.Equal("10.0.0.1:8080", directory["agent-b"]);
        Assert.Equal("10.0.0.2:8080", directory["agent-c"]);
        Assert.Contains(result.Warnings, w => w.Contains("'agent-b'", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_AgentDirectoryChange_ChangesVersion()
    {
        var before = SnapshotCompiler.Compile("vector-search", [], Endpoints, 3, ConstitutionalHashSet.Default).Snapshot!;
        ServiceEndpoint[] changed = [.. Endpoints[..2], Endpoints[2] with { BusAddress = "10.0.0.3:8080", Agents = ["agent-d"] }];
        var after = SnapshotCompiler.Compile("vector-search", [], changed, 3, ConstitutionalHashSet.Default).Snapshot!;

        Assert.NotEqual(before.Version, after.Version);
        Assert.Equal("10.0.0.3:8080", after.AgentDirectory["agent-d"]);
    }
}
