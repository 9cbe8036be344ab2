// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.Contracts.Authorization;
using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;
using Acgs.ControlPlane.Compiler;
using Acgs.ControlPlane.Discovery;
using Acgs.ControlPlane.Distribution;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.ControlPlane.Tests.Compiler;

/// <summary>Incremental compilation recompiles only the services a change affects, and gives the bytes a full compile gives.</summary>
public sealed class IncrementalCompilerTests
{
    private const long Revision = 9;
    private static readonly string[] Services = ["svc-0", "svc-1", "svc-2", "svc-3"];

    private static readonly ServiceEndpoint[] Endpoints =
    [
        .. Services.Select((s, i) => new ServiceEndpoint { ServiceName = s, NodeId = "n" + i, Address = "10.0.0." + (i + 1) + ":15006" }),
        new() { ServiceName = "svc-0", NodeId = "n9", Address = "10.0.1.9:15006" },
    ];

    private static ActivePolicy Policy(string id, string target, PolicySpec spec, string version = "1.0.0") => new(id, version, PolicyDocument.Create(id, target, spec));

    private static List<ActivePolicy> Baseline() =>
    [
        Policy("mesh-breaker", "mesh", new CircuitBreakerSpec { FailMax = 5, ResetTimeoutSeconds = 30 }),
        Policy("svc-1-route", "svc-1", new RouteSpec { Hosts = ["orders"], Cluster = "orders", Destinations = ["http://10.9.9.9:80"] }),
        Policy("svc-2-authz", "svc-2", new AuthorizationSpec(AuthorizationAction.Deny, [new AuthorizationRule { From = ["unauthenticated"] }])),
    ];

    /// <summary>Compiles every service through <paramref name="compiler"/>; the number of services it compiled.</summary>
    private static int Pass(IncrementalCompiler compiler, List<ActivePolicy> policies, IReadOnlyCollection<ServiceEndpoint> endpoints, Dictionary<string, CompileResult> results)
    {
        var before = compiler.Compilations;
        var inputs = CompilationInputs.Prepare(policies, endpoints, ConstitutionalHashSet.Default);
        foreach (var service in Services)
        {
            results[service] = compiler.Compile(service, inputs, Revision, out _);
        }

        return (int)(compiler.Compilations - before);
    }

    private static void AssertSameAsFullCompile(List<ActivePolicy> policies, IReadOnlyCollection<ServiceEndpoint> endpoints, Dictionary<string, CompileResult> results)
    {
        foreach (var service in Services)
        {
            var full = SnapshotCompiler.Compile(service, policies, endpoints, Revision, ConstitutionalHashSet.Default);
            Assert.Equal(full.Errors, results[service].Errors);
            Assert.Equal(SnapshotEncoding.Serialize(full.Snapshot!), SnapshotEncoding.Serialize(results[service].Snapshot!));
            Assert.Equal(SerializedSnapshot.Of(full.Snapshot!).Body, SerializedSnapshot.Of(results[service].Snapshot!).Body);
            if (results[service].Json is { } spliced)
            {
                Assert.Equal(SnapshotEncoding.Serialize(full.Snapshot!), spliced); // the bytes pushed: shared clusters spliced in
            }
        }
    }

    /// <summary>What the activation check offers: every service compiled at revision 0 from <paramref name="policies"/>, by key.</summary>
    private static CompiledAhead Ahead(List<ActivePolicy> policies)
    {
        var inputs = CompilationInputs.Prepare(policies, Endpoints, ConstitutionalHashSet.Default);
        var compiled = new Dictionary<string, (string Key, CompileResult Result)>(StringComparer.Ordinal);
        foreach (var service in Services)
        {
            compiled[service] = (IncrementalCompiler.KeyOf(service, inputs), SnapshotCompiler.Compile(service, inputs, 0));
        }

        var ahead = new CompiledAhead();
        ahead.Offer(compiled);
        return ahead;
    }

    [Fact]
    public void Compile_CompiledAheadForTheSameInputs_TakesItWithThisRevisionAndTheBytesOfAFullCompile()
    {
        var compiler = new IncrementalCompiler(Ahead(Baseline()));
        var results = new Dictionary<string, CompileResult>(StringComparer.Ordinal);

        Assert.Equal(0, Pass(compiler, Baseline(), Endpoints, results));
        Assert.Equal(Services.Length, compiler.Precompiled);
        Assert.All(Services, s => Assert.StartsWith(Revision + "-", results[s].Snapshot!.Version, StringComparison.Ordinal));
        AssertSameAsFullCompile(Baseline(), Endpoints, results);

        Assert.Equal(0, Pass(compiler, Baseline(), Endpoints, results)); // then reused as any compiled result
        AssertSameAsFullCompile(Baseline(), Endpoints, results);
    }

    [Fact]
    public void Compile_CompiledAheadForOtherInputs_CompilesAgain()
    {
        var other = Baseline();
        other[0] = Policy("mesh-breaker", "mesh", new CircuitBreakerSpec { FailMax = 6, ResetTimeoutSeconds = 30 }, "1.1.0");
        var compiler = new IncrementalCompiler(Ahead(other));
        var results = new Dictionary<string, CompileResult>(StringComparer.Ordinal);

        Assert.Equal(Services.Length, Pass(compiler, Baseline(), Endpoints, results));
        Assert.Equal(0, compiler.Precompiled);
        AssertSameAsFullCompile(Baseline(), Endpoints, results);
    }

    [Fact]
    public void Compile_NothingChanged_ReusesEveryService()
    {
        var compiler = new IncrementalCompiler();
        var results = new Dictionary<string, CompileResult>(StringComparer.Ordinal);
        Assert.Equal(4, Pass(compiler, Baseline(), Endpoints, results));

        Assert.Equal(0, Pass(compiler, Baseline(), Endpoints, results));
        AssertSameAsFullCompile(Baseline(), Endpoints, results);
    }

    [Fact]
    public void Compile_ServiceTargetedChanges_RecompileOnlyTheirService()
    {
        var compiler = new IncrementalCompiler();
        var results = new Dictionary<string, CompileResult>(StringComparer.Ordinal);
        var policies = Baseline();
        Pass(compiler, policies, Endpoints, results);

        policies[1] = Policy("svc-1-route", "svc-1", new RouteSpec { Hosts = ["orders"], Cluster = "orders", Destinations = ["http://10.9.9.8:80"] }, "1.1.0");
        Assert.Equal(1, Pass(compiler, policies, Endpoints, results));
        Assert.Contains("http://10.9.9.8:80", results["svc-1"].Snapshot!.Clusters["orders"].Destinations);
        AssertSameAsFullCompile(policies, Endpoints, results);

        policies.Add(Policy("svc-3-mtls", "svc-3", new MutualTlsSpec(MutualTlsMode.Strict)));
        Assert.Equal(1, Pass(compiler, policies, Endpoints, results));
        Assert.Equal(MutualTlsMode.Strict, results["svc-3"].Snapshot!.MutualTls!.Mode);
        AssertSameAsFullCompile(policies, Endpoints, results);
    }

    [Fact]
    public void Compile_MeshWideOrResilienceChange_RecompilesEveryService()
    {
        var compiler = new IncrementalCompiler();
        var results = new Dictionary<string, CompileResult>(StringComparer.Ordinal);
        var policies = Baseline();
        Pass(compiler, policies, Endpoints, results);

        policies[0] = Policy("mesh-breaker", "mesh", new CircuitBreakerSpec { FailMax = 6, ResetTimeoutSeconds = 30 }, "1.1.0");
        Assert.Equal(4, Pass(compiler, policies, Endpoints, results));
        Assert.All(Services, s => Assert.Equal(6, results[s].Snapshot!.Inbound.Breaker!.FailMax));
        AssertSameAsFullCompile(policies, Endpoints, results);

        // A breaker on svc-2 changes cluster svc-2 in every snapshot, not only svc-2's own.
        policies.Add(Policy("svc-2-breaker", "svc-2", new CircuitBreakerSpec { FailMax = 2, ResetTimeoutSeconds = 10 }));
        Assert.Equal(4, Pass(compiler, policies, Endpoints, results));
        Assert.All(Services, s => Assert.Equal(2, results[s].Snapshot!.Clusters["svc-2"].Breaker!.FailMax));
        AssertSameAsFullCompile(policies, Endpoints, results);
    }

    [Fact]
    public void Compile_SidecarJoins_RecompilesEveryService()
    {
        var compiler = new IncrementalCompiler();
        var results = new Dictionary<string, CompileResult>(StringComparer.Ordinal);
        Pass(compiler, Baseline(), Endpoints, results);

        ServiceEndpoint[] joined = [.. Endpoints, new ServiceEndpoint { ServiceName = "svc-3", NodeId = "n8", Address = "10.0.1.8:15006" }];
        Assert.Equal(4, Pass(compiler, Baseline(), joined, results));
        AssertSameAsFullCompile(Baseline(), joined, results);
    }

    [Fact]
    public void Compile_ConflictAppearsAndGoes_EveryServiceFollowsTheFullCompile()
    {
        var compiler = new IncrementalCompiler();
        var results = new Dictionary<string, CompileResult>(StringComparer.Ordinal);
        var policies = Baseline();
        Pass(compiler, policies, Endpoints, results);

        policies.Add(Policy("svc-1-route-2", "svc-1", new RouteSpec { Hosts = ["orders"], Cluster = "svc-2" }));
        Assert.Equal(4, Pass(compiler, policies, Endpoints, results));
        Assert.All(Services, s => Assert.Null(results[s].Snapshot));

        policies.RemoveAt(policies.Count - 1);
        Assert.Equal(4, Pass(compiler, policies, Endpoints, results));
        AssertSameAsFullCompile(policies, Endpoints, results);
    }

    [Fact]
    public void Encode_Version_IsSplicedIntoTheSameBytesAFullSerializationGives()
    {
        var snapshot = SnapshotCompiler.Compile("svc-1", Baseline(), Endpoints, Revision, ConstitutionalHashSet.Default);

        Assert.Equal(SnapshotEncoding.Serialize(snapshot.Snapshot!), snapshot.Json);
        Assert.Equal(SnapshotCompiler.VersionOf(snapshot.Snapshot! with { Version = "other" }, Revision), snapshot.Snapshot!.Version);
        Assert.NotEqual(SnapshotCompiler.VersionOf(snapshot.Snapshot!, Revision), SnapshotCompiler.VersionOf(snapshot.Snapshot! with { ServiceName = "svc-2" }, Revision));
    }

    [Fact]
    public void Validate_WithMemo_ReportsWhatValidationWithoutMemoReports()
    {
        var bad = new ClusterConfig { Destinations = ["not a url", "10.0.0.1:80"] };
        var snapshot = new ConfigSnapshot
        {
            Version = "1-a",
            ServiceName = "svc-0",
            Clusters = new Dictionary<string, ClusterConfig> { ["a"] = bad, ["b"] = bad }.ToImmutableDictionary(StringComparer.Ordinal),
            MutualTls = new MutualTlsConfig { TrustBundle = ["not a pem"] },
        };
        var memo = new ConfigValidationMemo();

        var first = ConfigSnapshotValidator.Validate(snapshot, memo);
        var second = ConfigSnapshotValidator.Validate(snapshot, memo);

        Assert.Equal(ConfigSnapshotValidator.Validate(snapshot), first);
        Assert.Equal(first, second);
        Assert.Contains(first, e => e.StartsWith("clusters.b.destinations[0]", StringComparison.Ordinal));
        Assert.Contains(first, e => e.StartsWith("mutual_tls.trust_bundle[0]", StringComparison.Ordinal));
    }
}
