// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;
using Acgs.ControlPlane.Compiler;
using Acgs.ControlPlane.Discovery;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.ControlPlane.Tests.Compiler;

public sealed class SnapshotCompilerTests
{
    private static readonly ServiceEndpoint[] Endpoints =
    [
        new() { ServiceName = "audit-ledger", NodeId = "a1", Address = "10.0.0.1:15006" },
        new() { ServiceName = "audit-ledger", NodeId = "a2", Address = "10.0.0.2:15006" },
        new() { ServiceName = "vector-search", NodeId = "v1", Address = "10.0.0.3:15006" },
    ];

    private static ActivePolicy Policy(string id, string target, PolicySpec spec) => new(id, "1.0.0", PolicyDocument.Create(id, target, spec));

    private static CompileResult Compile(string service, params ActivePolicy[] policies) =>
        SnapshotCompiler.Compile(service, policies, Endpoints, 7, ConstitutionalHashSet.Default);

    [Fact]
    public void Compile_DiscoveredSidecars_BecomeClusterDestinationsAndRoutes()
    {
        var result = Compile("vector-search");

        Assert.Empty(result.Errors);
        var snapshot = result.Snapshot!;
        Assert.Equal(["http://10.0.0.1:15006", "http://10.0.0.2:15006"], snapshot.Clusters["audit-ledger"].Destinations.ToArray());
        Assert.Contains(snapshot.Routes, r => r.Host == "audit-ledger" && r.Cluster == "audit-ledger");
        Assert.StartsWith("7-", snapshot.Version, StringComparison.Ordinal);
        Assert.Empty(ConfigSnapshotValidator.Validate(snapshot));
    }

    [Fact]
    public void Compile_ServiceAndMeshBreakers_ServiceWins()
    {
        var result = Compile("vector-search",
            Policy("mesh-breaker", "mesh", new CircuitBreakerSpec { FailMax = 5, ResetTimeoutSeconds = 30 }),
            Policy("audit-breaker", "audit-ledger", new CircuitBreakerSpec { FailMax = 7, ResetTimeoutSeconds = 60 }));

        var snapshot = result.Snapshot!;
        Assert.Equal(7, snapshot.Clusters["audit-ledger"].Breaker!.FailMax);
        Assert.Equal(5, snapshot.Clusters["vector-search"].Breaker!.FailMax);
        Assert.Equal(5, snapshot.Inbound.Breaker!.FailMax);
    }

    [Fact]
    public void Compile_TwoPoliciesSameKindSameTarget_ReportsConflict()
    {
        var result = Compile("vector-search",
            Policy("one", "audit-ledger", new TimeoutSpec { RequestTimeoutMs = 1000 }),
            Policy("two", "audit-ledger", new TimeoutSpec { RequestTimeoutMs = 2000 }));

        Assert.Null(result.Snapshot);
        Assert.Contains(result.Errors, e => e.Contains("'one' and 'two'", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_RouteWithStaticDestinations_AddsClusterAndHost()
    {
        var result = Compile("vector-search",
            Policy("external", "mesh", new RouteSpec { Hosts = ["api.example.com"], Cluster = "external-api", Destinations = ["https://203.0.113.5:443"] }));

        var snapshot = result.Snapshot!;
        Assert.Equal(["https://203.0.113.5:443"], snapshot.Clusters["external-api"].Destinations.ToArray());
        Assert.Contains(snapshot.Routes, r => r.Host == "api.example.com" && r.Cluster == "external-api");
    }

    [Fact]
    public void Compile_HashPolicyForService_MapsModeAndHashes()
    {
        var result = Compile("vector-search",
            Policy("audit-mode", "vector-search", new HashPolicySpec { AcceptedHashes = [ConstitutionalHashSet.Default.Primary], Mode = HashMode.Audit, ExemptPaths = ["/healthz"] }));

        var snapshot = result.Snapshot!;
        Assert.Equal(HashMode.Audit, snapshot.HashPolicy.Mode);
        Assert.Equal(["/healthz"], snapshot.HashPolicy.ExemptPathPrefixes.ToArray());
        Assert.Equal(HashMode.Enforce, Compile("audit-ledger", Policy("audit-mode", "vector-search", new HashPolicySpec { AcceptedHashes = [ConstitutionalHashSet.Default.Primary], Mode = HashMode.Audit })).Snapshot!.HashPolicy.Mode);
    }

    [Fact]
    public void Compile_SameInputs_SameVersion()
    {
        Assert.Equal(Compile("vector-search").Snapshot!.Version, Compile("vector-search").Snapshot!.Version);
        Assert.NotEqual(Compile("vector-search").Snapshot!.Version, Compile("audit-ledger").Snapshot!.Version);
    }
}
