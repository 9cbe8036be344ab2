// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;
using Acgs.Contracts.RateLimiting;
using Acgs.ControlPlane.Compiler;
using Acgs.ControlPlane.Discovery;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.ControlPlane.Tests.Compiler;

/// <summary>RateLimit policies in the compiled snapshot: service over mesh, the default burst, none = left out.</summary>
public sealed class SnapshotCompilerRateLimitTests
{
    private static readonly ServiceEndpoint[] Endpoints =
    [
        new() { ServiceName = "audit-ledger", NodeId = "a1", Address = "10.0.0.1:15006" },
        new() { ServiceName = "vector-search", NodeId = "v1", Address = "10.0.0.3:15006" },
    ];

    private static ActivePolicy Policy(string id, string target, PolicySpec spec) => new(id, "1.0.0", PolicyDocument.Create(id, target, spec));

    private static ConfigSnapshot Compile(string service, params ActivePolicy[] policies) =>
        SnapshotCompiler.Compile(service, policies, Endpoints, 3, ConstitutionalHashSet.Default, default, null).Snapshot!;

    [Fact]
    public void Compile_ServiceOverMesh_ServiceWinsMeshAppliesElsewhere()
    {
        var mesh = Policy("mesh-limit", "mesh", new RateLimitSpec(100, 200));
        var audit = Policy("audit-limit", "audit-ledger", new RateLimitSpec(2.5, 0, RateLimitKey.Caller));

        var ledger = Compile("audit-ledger", mesh, audit);
        var search = Compile("vector-search", mesh, audit);

        Assert.Equal(new RateLimitConfig { Name = "audit-limit", RequestsPerSecond = 2.5, Burst = 3, Per = RateLimitKey.Caller }, ledger.RateLimit);
        Assert.Equal(new RateLimitConfig { Name = "mesh-limit", RequestsPerSecond = 100, Burst = 200 }, search.RateLimit);
        Assert.Empty(ConfigSnapshotValidator.Validate(ledger));
    }

    [Fact]
    public void Compile_NoRateLimitPolicy_LeftOut()
    {
        Assert.Null(Compile("audit-ledger").RateLimit);
    }
}
