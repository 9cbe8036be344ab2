// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Acgs.Contracts.Identity;

namespace Acgs.ControlPlane.Tests.Identity;

/// <summary>The Kubernetes credential: a projected ServiceAccount token checked with a TokenReview against a Kestrel stand-in for the API server.</summary>
public sealed class KubernetesIdentityTests : IAsyncLifetime
{
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private FakeKubernetesApi _api = null!;
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        _host = await ControlPlaneHost.StartEmbeddedAsync(_directory, extra: new Dictionary<string, string?>
        {
            ["ACGS_KUBERNETES_API"] = _api.Url,
            ["ACGS_TRUST_DOMAIN"] = "cluster.test",
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _api.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static JsonObject Body(string token, string hash = Csrs.Hash)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new JsonObject { ["csr"] = Csrs.Forged(key), ["constitutional_hash"] = hash, ["kubernetes_token"] = token };
    }

    [Fact]
    public async Task Csr_ReviewedServiceAccountToken_IssuesNamespaceServiceAccountIdentity()
    {
        var response = await Csrs.SignAsync(_host.Client, Body("good"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var leaf = X509Certificate2.CreateFromPem((string)(await Csrs.ReadAsync(response))["certificate"]!);
        Assert.Equal("spiffe://cluster.test/ns/shop/sa/orders", WorkloadCertificate.GetSpiffeId(leaf));
        Assert.Equal(Csrs.Hash, WorkloadCertificate.GetConstitutionalHash(leaf));
        Assert.Contains("acgs-identity", _api.RequestedAudiences);
    }

    [Theory]
    [InlineData("expired", 401, "kubernetes_token_rejected")]
    [InlineData("wrong-audience", 401, "kubernetes_token_audience")]
    [InlineData("user", 401, "kubernetes_token_not_service_account")]
    [InlineData("other-pod-hash", 403, "pod_hash_mismatch")]
    public async Task Csr_BadKubernetesToken_RefusedPrecisely(string token, int status, string reason) =>
        await Csrs.AssertRefusedAsync(await Csrs.SignAsync(_host.Client, Body(token)), status, reason);

    [Fact]
    public async Task Csr_ApiServerUnreachable_Refused503()
    {
        await _api.DisposeAsync();
        await Csrs.AssertRefusedAsync(await Csrs.SignAsync(_host.Client, Body("good")), 503, "kubernetes_unavailable");
        _api = await FakeKubernetesApi.StartAsync();
    }
}
