// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;
using Acgs.ControlPlane.Compiler;
using Acgs.ControlPlane.Discovery;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.ControlPlane.Tests.Compiler;

/// <summary>Tracing policies in the compiled snapshot: service over mesh, none = left out, two on one target a conflict.</summary>
public sealed class SnapshotCompilerTracingTests
{
    private static readonly ServiceEndpoint[] Endpoints =
    [
        new() { ServiceName = "audit-ledger", NodeId = "a1", Address = "10.0.0.1:15006" },
        new() { ServiceName = "vector-search", NodeId = "v1", Address = "10.0.0.3:15006" },
    ];

    private static ActivePolicy Policy(string id, string target, PolicySpec spec) => new(id, "1.0.0", PolicyDocument.Create(id, target, spec));

    private static CompileResult Compile(string service, params ActivePolicy[] policies) =>
        SnapshotCompiler.Compile(service, policies, Endpoints, 3, ConstitutionalHashSet.Default, default, null);

    [Fact]
    public void Compile_ServiceOverMesh_ServiceWinsMeshAppliesElsewhere()
    {
        var mesh = Policy("mesh-traces", "mesh", new TracingSpec(0.01));
        var audit = Policy("audit-traces", "audit-ledger", new TracingSpec(0));

        var ledger = Compile("audit-ledger", mesh, audit).Snapshot!;
        var search = Compile("vector-search", mesh, audit).Snapshot!;

        Assert.Equal(new TracingConfig { Name = "audit-traces", SamplingRatio = 0 }, ledger.Tracing);
        Assert.Equal(new TracingConfig { Name = "mesh-traces", SamplingRatio = 0.01 }, search.Tracing);
        Assert.Empty(ConfigSnapshotValidator.Validate(ledger));
    }

    [Fact]
    public void Compile_NoTracingPolicy_LeftOut()
    {
        Assert.Null(Compile("audit-ledger").Snapshot!.Tracing);
    }

    [Fact]
    public void Compile_TwoMeshTracingPolicies_Conflict()
    {
        var result = Compile("audit-ledger", Policy("a", "mesh", new TracingSpec(0.5)), Policy("b", "mesh", new TracingSpec(1)));

        Assert.Null(result.Snapshot);
        Assert.Contains(result.Errors, e => e.Contains("are both Tracing policies for target 'mesh'", StringComparison.Ordinal));
    }
}
