// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Text.Json;
using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;
using Acgs.ControlPlane.Compiler;
using Acgs.ControlPlane.Discovery;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.ControlPlane.Tests.Compiler;

/// <summary>Egress policies scope a service's snapshot to the clusters it calls; the rest of the mesh compiles as before.</summary>
public sealed class SnapshotCompilerEgressTests
{
    private const long Revision = 12;
    private static readonly DateTimeOffset Activated = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] Services = ["svc-a", "svc-b", "svc-c", "svc-d", "svc-e"];

    private static readonly ServiceEndpoint[] Endpoints =
    [
        .. Services.Select((s, i) => new ServiceEndpoint { ServiceName = s, NodeId = "n" + i, Address = "10.0.0." + (i + 1) + ":15006" }),
        new() { ServiceName = "svc-b-green", NodeId = "g1", Address = "10.0.2.1:15006" },
    ];

    private static ActivePolicy Policy(string id, string target, PolicySpec spec, string version = "1.0.0") =>
        new(id, version, PolicyDocument.Create(id, target, spec), Activated);

    private static ActivePolicy Egress(string target, params string[] services) => Policy(target + "-egress", target, new EgressSpec([.. services]));

    private static CompileResult Compile(string service, List<ActivePolicy> policies, IReadOnlyCollection<ServiceEndpoint>? endpoints = null) =>
        SnapshotCompiler.Compile(service, policies, endpoints ?? Endpoints, Revision, ConstitutionalHashSet.Default);

    private static string[] RouteHosts(ConfigSnapshot snapshot) => [.. snapshot.Routes.Select(r => r.Host + (r.PathPrefix ?? string.Empty) + "->" + r.Cluster)];

    [Fact]
    public void Compile_EgressPolicy_HoldsOnlyTheListedClustersAndTheirRoutes()
    {
        List<ActivePolicy> policies = [Egress("svc-a", "svc-c", "svc-b")];

        var scoped = Compile("svc-a", policies);
        var other = Compile("svc-b", policies);

        Assert.Empty(scoped.Errors);
        Assert.Equal(["svc-b", "svc-c"], scoped.Snapshot!.Clusters.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["svc-b->svc-b", "svc-c->svc-c"], RouteHosts(scoped.Snapshot!));
        Assert.Equal(Services.Length + 1, other.Snapshot!.Clusters.Count); // a service without an Egress policy holds every cluster
        Assert.Equal(
            JsonSerializer.Serialize(other.Snapshot!.Clusters["svc-b"], ConfigSnapshotJsonContext.Default.ClusterConfig),
            JsonSerializer.Serialize(scoped.Snapshot!.Clusters["svc-b"], ConfigSnapshotJsonContext.Default.ClusterConfig));
        Assert.Equal(SnapshotEncoding.Serialize(scoped.Snapshot!), scoped.Json);
    }

    [Fact]
    public void Compile_ListedServiceWithoutSidecars_WarnsAndCompiles()
    {
        List<ActivePolicy> policies = [Egress("svc-a", "svc-b", "svc-new")];

        var result = Compile("svc-a", policies);

        Assert.Empty(result.Errors);
        Assert.Equal(["svc-b"], result.Snapshot!.Clusters.Keys);
        Assert.Contains(result.Warnings, w => w.Contains("egress service 'svc-new' has no sidecars yet", StringComparison.Ordinal));

        ServiceEndpoint[] joined = [.. Endpoints, new ServiceEndpoint { ServiceName = "svc-new", NodeId = "x1", Address = "10.0.9.1:15006" }];
        var after = Compile("svc-a", policies, joined);
        Assert.Equal(["svc-b", "svc-new"], after.Snapshot!.Clusters.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(after.Warnings, w => w.Contains("egress", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_RoutePoliciesOfTheService_AddTheirClustersToTheScope()
    {
        List<ActivePolicy> policies =
        [
            Egress("svc-a", "svc-b"),
            Policy("a-orders", "svc-a", new RouteSpec { Hosts = ["orders"], Cluster = "orders", Destinations = ["http://10.9.9.9:80"] }),
            Policy("mesh-d", "mesh", new RouteSpec { Hosts = ["dee"], Cluster = "svc-d" }),
            Policy("c-e", "svc-c", new RouteSpec { Hosts = ["eee"], Cluster = "svc-e" }), // another service's route: not in scope
        ];

        var result = Compile("svc-a", policies);

        Assert.Empty(result.Errors);
        Assert.Equal(["orders", "svc-b", "svc-d"], result.Snapshot!.Clusters.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["svc-b->svc-b", "svc-d->svc-d", "dee->svc-d", "orders->orders"], RouteHosts(result.Snapshot!));
        Assert.Equal(["http://10.9.9.9:80"], result.Snapshot!.Clusters["orders"].Destinations.ToArray());
        Assert.Equal(SnapshotEncoding.Serialize(result.Snapshot!), result.Json);
    }

    [Fact]
    public void Compile_TrafficSplitOfAListedService_BringsItsBlueAndGreenClusters()
    {
        List<ActivePolicy> policies =
        [
            Egress("svc-a", "svc-b"),
            Policy("b-split", "svc-b", new TrafficSplitSpec("svc-b", 80, "svc-b-green", 20)),
            Policy("c-split", "svc-c", new TrafficSplitSpec("svc-c", 50, "svc-d", 50)), // out of scope: no route, no cluster
        ];

        var result = Compile("svc-a", policies);

        Assert.Empty(result.Errors);
        Assert.Equal(["svc-b", "svc-b-green"], result.Snapshot!.Clusters.Keys.Order(StringComparer.Ordinal));
        var route = Assert.Single(result.Snapshot!.Routes, r => r.Host == "svc-b");
        Assert.Equal(["svc-b", "svc-b-green"], route.WeightedClusters.Select(w => w.Cluster));
        Assert.DoesNotContain(result.Snapshot!.Routes, r => r.Host == "svc-c");
    }

    [Fact]
    public void Compile_SplitToClustersWithoutSidecars_OutOfScopeIsNoError()
    {
        List<ActivePolicy> policies =
        [
            Egress("svc-a", "svc-b"),
            Policy("c-split", "svc-c", new TrafficSplitSpec("svc-c-blue", 50, "svc-c-green", 50)),
        ];

        Assert.Empty(Compile("svc-a", policies).Errors);
        Assert.NotEmpty(Compile("svc-b", policies).Errors); // unscoped: every snapshot holds the split, whose clusters do not exist
    }

    [Fact]
    public void Compile_ForceOpenBreaker_OnlyForClustersInScope()
    {
        List<ActivePolicy> policies =
        [
            Egress("svc-a", "svc-b"),
            Policy("b-open", "svc-b", new FaultInjectionSpec(ForceOpenBreaker: true)),
            Policy("d-open", "svc-d", new FaultInjectionSpec(ForceOpenBreaker: true)),
        ];

        var result = Compile("svc-a", policies);

        Assert.Empty(result.Errors);
        var rule = Assert.Single(result.Snapshot!.FaultRules);
        Assert.Equal("svc-b", rule.Cluster);
        Assert.Equal(2, Compile("svc-c", policies).Snapshot!.FaultRules.Length);
    }

    [Fact]
    public void Compile_ServiceEgressOverMeshWide_AndTwoMeshWideConflict()
    {
        List<ActivePolicy> policies = [Egress("mesh", "svc-c"), Egress("svc-a", "svc-b")];

        Assert.Equal(["svc-b"], Compile("svc-a", policies).Snapshot!.Clusters.Keys);
        Assert.Equal(["svc-c"], Compile("svc-d", policies).Snapshot!.Clusters.Keys);

        policies.Add(Policy("mesh-egress-2", "mesh", new EgressSpec(["svc-d"])));
        var conflict = Compile("svc-a", policies);
        Assert.Null(conflict.Snapshot);
        Assert.Contains(conflict.Errors, e => e.Contains("are both Egress policies for target 'mesh'", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_EmptyEgress_NoClustersNoRoutes()
    {
        var result = Compile("svc-a", [Egress("svc-a")]);

        Assert.Empty(result.Errors);
        Assert.Empty(result.Snapshot!.Clusters);
        Assert.Empty(result.Snapshot!.Routes);
        Assert.Equal(SnapshotEncoding.Serialize(result.Snapshot!), result.Json);
    }

    [Fact]
    public void Encode_ScopedClustersOfAManyServiceMesh_AreTheBytesOfSerializingTheScopedDictionary()
    {
        ServiceEndpoint[] mesh = [.. Enumerable.Range(0, 60).Select(i => new ServiceEndpoint { ServiceName = "svc-" + i, NodeId = "n" + i, Address = "10.1.0." + i + ":15006" })];
        List<ActivePolicy> policies =
        [
            Policy("mesh-breaker", "mesh", new CircuitBreakerSpec { FailMax = 5, ResetTimeoutSeconds = 30 }),
            Policy("svc-7-timeout", "svc-7", new TimeoutSpec { RequestTimeoutMs = 1500 }),
            Egress("svc-0", [.. Enumerable.Range(1, 40).Select(i => "svc-" + (i * 7 % 60))]),
            Egress("svc-1", "svc-7", "svc-3", "svc-59"),
        ];
        var inputs = CompilationInputs.Prepare(policies, mesh, ConstitutionalHashSet.Default);

        foreach (var service in new[] { "svc-0", "svc-1" })
        {
            var result = SnapshotCompiler.Compile(service, inputs, Revision);
            var assembled = inputs.SharedParts.ClustersJsonOf(result.Snapshot!, assemble: true);
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = SnapshotEncoding.CompactWriter(buffer))
            {
                JsonSerializer.Serialize(writer, result.Snapshot!.Clusters, ConfigSnapshotJsonContext.Default.ImmutableDictionaryStringClusterConfig);
            }

            Assert.Equal(buffer.WrittenSpan.ToArray(), assembled);
            Assert.Equal(SnapshotEncoding.Serialize(result.Snapshot!), result.Json);
            Assert.Equal(SnapshotCompiler.VersionOf(result.Snapshot!, Revision), result.Snapshot!.Version);
            Assert.Same(inputs.Clusters["svc-7"], result.Snapshot!.Clusters["svc-7"]); // the shared instance: its fragment is serialized once per pass
        }
    }

    /// <summary>Compiles every service through <paramref name="compiler"/>; the services it compiled (not reused).</summary>
    private static string[] Pass(IncrementalCompiler compiler, List<ActivePolicy> policies, IReadOnlyCollection<ServiceEndpoint> endpoints, Dictionary<string, CompileResult> results)
    {
        var compiled = new List<string>();
        var inputs = CompilationInputs.Prepare(policies, endpoints, ConstitutionalHashSet.Default);
        foreach (var service in Services)
        {
            results[service] = compiler.Compile(service, inputs, Revision, out var reused);
            if (!reused)
            {
                compiled.Add(service);
            }
        }

        foreach (var service in Services)
        {
            var full = SnapshotCompiler.Compile(service, policies, endpoints, Revision, ConstitutionalHashSet.Default);
            Assert.Equal(full.Errors, results[service].Errors);
            Assert.Equal(SnapshotEncoding.Serialize(full.Snapshot!), results[service].Json);
        }

        return [.. compiled];
    }

    private static List<ActivePolicy> Scoped() => [Egress("svc-a", "svc-b", "svc-new"), Egress("svc-c", "svc-a")];

    [Fact]
    public void IncrementalCompile_SidecarJoinsAnUncalledService_ReusesTheScopedServices()
    {
        var compiler = new IncrementalCompiler();
        var results = new Dictionary<string, CompileResult>(StringComparer.Ordinal);
        Pass(compiler, Scoped(), Endpoints, results);
        var before = results["svc-a"];

        ServiceEndpoint[] joined = [.. Endpoints, new ServiceEndpoint { ServiceName = "svc-d", NodeId = "n8", Address = "10.0.1.8:15006" }];

        Assert.Equal(["svc-b", "svc-d", "svc-e"], Pass(compiler, Scoped(), joined, results)); // the unscoped ones hold svc-d's cluster
        Assert.Same(before, results["svc-a"]);
    }

    [Fact]
    public void IncrementalCompile_SidecarJoinsACalledService_RecompilesItsCallers()
    {
        var compiler = new IncrementalCompiler();
        var results = new Dictionary<string, CompileResult>(StringComparer.Ordinal);
        Pass(compiler, Scoped(), Endpoints, results);

        ServiceEndpoint[] joinedB = [.. Endpoints, new ServiceEndpoint { ServiceName = "svc-b", NodeId = "n8", Address = "10.0.1.8:15006" }];
        Assert.Equal(["svc-a", "svc-b", "svc-d", "svc-e"], Pass(compiler, Scoped(), joinedB, results));
        Assert.Contains("http://10.0.1.8:15006", results["svc-a"].Snapshot!.Clusters["svc-b"].Destinations);

        ServiceEndpoint[] joinedNew = [.. joinedB, new ServiceEndpoint { ServiceName = "svc-new", NodeId = "x1", Address = "10.0.9.1:15006" }];
        Assert.Equal(["svc-a", "svc-b", "svc-d", "svc-e"], Pass(compiler, Scoped(), joinedNew, results));
        Assert.True(results["svc-a"].Snapshot!.Clusters.ContainsKey("svc-new"));
    }

    [Fact]
    public void KeyOf_InputsPreparedFromThePreviousPass_FollowTheCalledServicesSidecars()
    {
        var first = CompilationInputs.Prepare(Scoped(), Endpoints, ConstitutionalHashSet.Default);
        var key = IncrementalCompiler.KeyOf("svc-a", first);
        ServiceEndpoint[] joined = [.. Endpoints, new ServiceEndpoint { ServiceName = "svc-b", NodeId = "n8", Address = "10.0.1.8:15006" }];

        var same = CompilationInputs.Prepare(Scoped(), [.. Endpoints], ConstitutionalHashSet.Default, previous: first);
        var next = CompilationInputs.Prepare(Scoped(), joined, ConstitutionalHashSet.Default, previous: same);

        Assert.Equal(key, IncrementalCompiler.KeyOf("svc-a", same));
        Assert.NotEqual(key, IncrementalCompiler.KeyOf("svc-a", next));
        Assert.Equal(IncrementalCompiler.KeyOf("svc-a", CompilationInputs.Prepare(Scoped(), joined, ConstitutionalHashSet.Default)), IncrementalCompiler.KeyOf("svc-a", next));
    }

    [Fact]
    public void IncrementalCompile_ResiliencePolicyOfAService_RecompilesOnlyScopedServicesThatCallIt()
    {
        var compiler = new IncrementalCompiler();
        var results = new Dictionary<string, CompileResult>(StringComparer.Ordinal);
        var policies = Scoped();
        Pass(compiler, policies, Endpoints, results);

        policies.Add(Policy("d-breaker", "svc-d", new CircuitBreakerSpec { FailMax = 2, ResetTimeoutSeconds = 10 }));
        Assert.Equal(["svc-b", "svc-d", "svc-e"], Pass(compiler, policies, Endpoints, results));

        policies.Add(Policy("b-breaker", "svc-b", new CircuitBreakerSpec { FailMax = 3, ResetTimeoutSeconds = 10 }));
        Assert.Equal(["svc-a", "svc-b", "svc-d", "svc-e"], Pass(compiler, policies, Endpoints, results));
        Assert.Equal(3, results["svc-a"].Snapshot!.Clusters["svc-b"].Breaker!.FailMax);

        policies.Add(Policy("b-split", "svc-b", new TrafficSplitSpec("svc-b", 90, "svc-b-green", 10)));
        Assert.Equal(["svc-a", "svc-b", "svc-d", "svc-e"], Pass(compiler, policies, Endpoints, results));
        Assert.True(results["svc-a"].Snapshot!.Clusters.ContainsKey("svc-b-green"));
    }

    [Fact]
    public void IncrementalCompile_CompiledAheadForAScopedService_IsTakenByTheRebuild()
    {
        var inputs = CompilationInputs.Prepare(Scoped(), Endpoints, ConstitutionalHashSet.Default);
        var offered = new Dictionary<string, (string Key, CompileResult Result)>(StringComparer.Ordinal);
        foreach (var service in Services)
        {
            offered[service] = (IncrementalCompiler.KeyOf(service, inputs), SnapshotCompiler.Compile(service, inputs, 0));
        }

        var ahead = new CompiledAhead();
        ahead.Offer(offered);
        var compiler = new IncrementalCompiler(ahead);
        var results = new Dictionary<string, CompileResult>(StringComparer.Ordinal);

        Pass(compiler, Scoped(), Endpoints, results);

        Assert.Equal(0, compiler.Compilations);
        Assert.Equal(Services.Length, compiler.Precompiled);
        Assert.StartsWith(Revision + "-", results["svc-a"].Snapshot!.Version, StringComparison.Ordinal);
        Assert.Equal(["svc-b"], results["svc-a"].Snapshot!.Clusters.Keys);
    }
}
