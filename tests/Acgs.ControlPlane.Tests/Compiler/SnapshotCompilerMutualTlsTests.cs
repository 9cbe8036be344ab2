// Constitutional Hash: cdd01ef066bc6cf2

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;
using Acgs.ControlPlane.Compiler;
using Acgs.ControlPlane.Discovery;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.ControlPlane.Tests.Compiler;

/// <summary>MutualTls policies and the CA's bundle in the compiled snapshot; expected identities of meshed clusters.</summary>
public sealed class SnapshotCompilerMutualTlsTests
{
    private static readonly ServiceEndpoint[] Endpoints =
    [
        new() { ServiceName = "audit-ledger", NodeId = "a1", Address = "10.0.0.1:15006" },
        new() { ServiceName = "vector-search", NodeId = "v1", Address = "10.0.0.3:15006" },
    ];

    private static readonly string Anchor = CreateAnchor();

    private static ActivePolicy Policy(string id, string target, PolicySpec spec) => new(id, "1.0.0", PolicyDocument.Create(id, target, spec));

    private static CompileResult Compile(string service, bool withCa, params ActivePolicy[] policies) =>
        SnapshotCompiler.Compile(service, policies, Endpoints, 3, ConstitutionalHashSet.Default, withCa ? [Anchor] : default, withCa ? "mesh.test" : null);

    [Fact]
    public void Compile_ServiceStrictOverMeshDisabled_ServiceWinsWithBundle()
    {
        var mesh = Policy("mesh-mtls", "mesh", new MutualTlsSpec(MutualTlsMode.Disabled));
        var strict = Policy("audit-strict", "audit-ledger", new MutualTlsSpec(MutualTlsMode.Strict));

        var audit = Compile("audit-ledger", true, mesh, strict).Snapshot!;
        var search = Compile("vector-search", true, mesh, strict).Snapshot!;

        Assert.Equal(MutualTlsMode.Strict, audit.MutualTls!.Mode);
        Assert.Equal([Anchor], audit.MutualTls.TrustBundle.ToArray());
        Assert.Equal(MutualTlsMode.Disabled, search.MutualTls!.Mode);
    }

    [Fact]
    public void Compile_CaLoaded_MeshedClustersExpectTheirServiceIdentity()
    {
        var snapshot = Compile("vector-search", true).Snapshot!;

        Assert.Equal("spiffe://mesh.test/svc/audit-ledger", snapshot.Clusters["audit-ledger"].Identity);
        Assert.Equal(MutualTlsMode.Permissive, snapshot.MutualTls!.Mode);
        Assert.Empty(ConfigSnapshotValidator.Validate(snapshot));
    }

    [Fact]
    public void Compile_NoCaNoPolicy_NoMutualTlsAndNoIdentities()
    {
        var snapshot = Compile("vector-search", false).Snapshot!;

        Assert.Null(snapshot.MutualTls);
        Assert.Null(snapshot.Clusters["audit-ledger"].Identity);
    }

    [Fact]
    public void Compile_TwoMutualTlsPoliciesForOneService_Conflict()
    {
        var result = Compile("audit-ledger", true,
            Policy("a", "audit-ledger", new MutualTlsSpec(MutualTlsMode.Strict)), Policy("b", "audit-ledger", new MutualTlsSpec(MutualTlsMode.Permissive)));

        Assert.Null(result.Snapshot);
        Assert.Contains(result.Errors, e => e.Contains("MutualTls", StringComparison.Ordinal));
    }

    private static string CreateAnchor()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = new CertificateRequest("CN=root", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        return root.ExportCertificatePem();
    }
}
