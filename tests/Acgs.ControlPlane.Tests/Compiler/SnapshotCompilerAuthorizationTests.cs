// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Authorization;
using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;
using Acgs.ControlPlane.Compiler;
using Acgs.ControlPlane.Discovery;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.ControlPlane.Tests.Compiler;

/// <summary>Authorization policies in the compiled snapshot: mesh and service policies combine; the mesh's default action; conflicts.</summary>
public sealed class SnapshotCompilerAuthorizationTests
{
    private static readonly ServiceEndpoint[] Endpoints =
    [
        new() { ServiceName = "orders", NodeId = "o1", Address = "10.0.0.1:15006" },
        new() { ServiceName = "billing", NodeId = "b1", Address = "10.0.0.2:15006" },
    ];

    private static ActivePolicy Policy(string id, string target, AuthorizationSpec spec) => new(id, "1.0.0", PolicyDocument.Create(id, target, spec));

    private static AuthorizationSpec Allow(params string[] from) => new(AuthorizationAction.Allow, [new AuthorizationRule { From = [.. from] }]);

    private static CompileResult Compile(string service, params ActivePolicy[] policies) =>
        SnapshotCompiler.Compile(service, policies, Endpoints, 1, ConstitutionalHashSet.Default);

    [Fact]
    public void Compile_NoAuthorizationPolicy_NoAuthorizationInSnapshot()
    {
        Assert.Null(Compile("orders").Snapshot!.Authorization);
    }

    [Fact]
    public void Compile_MeshAndServicePolicies_CombineInNameOrderOnlyForTheirTargets()
    {
        var mesh = Policy("z-mesh-deny", "mesh", new AuthorizationSpec(AuthorizationAction.Deny, [new AuthorizationRule { From = ["unauthenticated"] }]));
        var orders = Policy("a-orders-allow", "orders", Allow("frontend"));

        var forOrders = Compile("orders", mesh, orders).Snapshot!.Authorization!;
        var forBilling = Compile("billing", mesh, orders).Snapshot!.Authorization!;

        Assert.Equal(["a-orders-allow", "z-mesh-deny"], forOrders.Policies.Select(p => p.Name).ToArray());
        Assert.Equal(["z-mesh-deny"], forBilling.Policies.Select(p => p.Name).ToArray());
        Assert.Equal(AuthorizationAction.Allow, forOrders.DefaultAction);
    }

    [Fact]
    public void Compile_MeshDefaultDenyOnly_EverySnapshotCarriesDefaultDenyWithoutPolicies()
    {
        var fallback = Policy("mesh-default", "mesh", new AuthorizationSpec(DefaultAction: AuthorizationAction.Deny, Enforce: false));

        var authorization = Compile("billing", fallback).Snapshot!.Authorization!;

        Assert.Equal(AuthorizationAction.Deny, authorization.DefaultAction);
        Assert.False(authorization.DefaultActionEnforce);
        Assert.Empty(authorization.Policies);
    }

    [Fact]
    public void Compile_TwoPoliciesOneTarget_NoConflict()
    {
        var result = Compile("orders", Policy("one", "orders", Allow("frontend")), Policy("two", "orders", Allow("billing")));

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Snapshot!.Authorization!.Policies.Length);
        Assert.Empty(ConfigSnapshotValidator.Validate(result.Snapshot));
    }

    [Fact]
    public void Find_SameNameOrTwoMeshDefaults_Conflicts()
    {
        var a = new ActivePolicy("id-a", "1", PolicyDocument.Create("same", "orders", Allow("x")));
        var b = new ActivePolicy("id-b", "1", PolicyDocument.Create("same", "billing", Allow("y")));
        var d1 = Policy("d1", "mesh", new AuthorizationSpec(DefaultAction: AuthorizationAction.Deny));
        var d2 = Policy("d2", "mesh", new AuthorizationSpec(DefaultAction: AuthorizationAction.Allow));

        var errors = PolicyConflicts.Find([a, b, d1, d2]);

        Assert.Equal(2, errors.Count);
        Assert.Contains("'id-a' and 'id-b' are both Authorization policies named 'same'", errors[0], StringComparison.Ordinal);
        Assert.Contains("'d1' and 'd2' both set the mesh's default_action", errors[1], StringComparison.Ordinal);
    }
}
