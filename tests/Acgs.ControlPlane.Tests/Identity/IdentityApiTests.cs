// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Acgs.Contracts.Identity;

namespace Acgs.ControlPlane.Tests.Identity;

/// <summary>The CA on a real control plane (Kestrel, embedded store): issuance, refusals, audit, metrics.</summary>
public sealed class IdentityApiTests : IAsyncLifetime
{
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private ControlPlaneHost _host = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await ControlPlaneHost.StartEmbeddedAsync(_directory, extra: new Dictionary<string, string?> { ["ACGS_TRUST_DOMAIN"] = "mesh.test" });
        _admin = _host.AdminClient();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Csr_JoinTokenAndForgedNames_IssuesOnlyTheTokensIdentityWithHash()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = await Csrs.MintAsync(_admin, "orders");
        var before = DateTimeOffset.UtcNow;

        var response = await Csrs.SignAsync(_host.Client, Csrs.Body(Csrs.Forged(key), token));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Csrs.ReadAsync(response);
        using var leaf = X509Certificate2.CreateFromPem((string)body["certificate"]!);
        Assert.Equal("spiffe://mesh.test/svc/orders", WorkloadCertificate.GetSpiffeId(leaf));
        Assert.Equal("spiffe://mesh.test/svc/orders", (string?)body["spiffe_id"]);
        Assert.Equal(Csrs.Hash, WorkloadCertificate.GetConstitutionalHash(leaf));
        Assert.DoesNotContain("evil", leaf.Subject, StringComparison.Ordinal);
        var san = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Empty(san.EnumerateDnsNames());
        Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        var usages = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToList();
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], usages);
        Assert.True(leaf.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()));
        Assert.Equal(17, leaf.GetSerialNumber().Length);
        Assert.InRange(leaf.NotAfter.ToUniversalTime() - before.UtcDateTime, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));
        Assert.True(leaf.NotBefore.ToUniversalTime() < before.UtcDateTime.AddMinutes(-4));
        Assert.True(Csrs.Chains(leaf, body["trust_bundle"]!.AsArray().Select(n => (string)n!)));
    }

    [Fact]
    public async Task Csr_ReusedJoinToken_Refused401AndAudited()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = await Csrs.MintAsync(_admin, "orders");
        Assert.Equal(HttpStatusCode.Created, (await Csrs.SignAsync(_host.Client, Csrs.Body(Csrs.Forged(key), token))).StatusCode);

        await Csrs.AssertRefusedAsync(await Csrs.SignAsync(_host.Client, Csrs.Body(Csrs.Forged(key), token)), 401, "join_token_used");

        var audit = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/audit"))!;
        Assert.True((bool)audit["chain_valid"]!);
        var actions = audit["entries"]!.AsArray().Select(e => (string)e!["action"]!).ToList();
        Assert.Contains("identity.join_token.create", actions);
        Assert.Contains("identity.certificate.issue", actions);
        var refusal = audit["entries"]!.AsArray().Last(e => (string)e!["action"]! == "identity.certificate.refuse")!;
        Assert.Contains("reason=join_token_used", (string?)refusal["detail"], StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[1], audit.ToJsonString(), StringComparison.Ordinal);
        var metrics = await _host.Client.GetStringAsync("/metrics");
        Assert.Contains("acgs_controlplane_identity_refusals_total{reason=\"join_token_used\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("acgs_controlplane_identity_certificates_issued_total{credential=\"join_token\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csr_RevokedOrWrongSecretToken_Refused401()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = await Csrs.MintAsync(_admin, "orders", maxUses: 5);
        var id = token.Split('.')[0];
        await Csrs.AssertRefusedAsync(await Csrs.SignAsync(_host.Client, Csrs.Body(Csrs.Forged(key), id + ".not-the-secret")), 401, "join_token_invalid");
        await Csrs.AssertRefusedAsync(await Csrs.SignAsync(_host.Client, Csrs.Body(Csrs.Forged(key), "garbage")), 401, "join_token_invalid");

        Assert.Equal(HttpStatusCode.OK, (await _admin.DeleteAsync($"/api/v1/identity/join-tokens/{id}")).StatusCode);

        await Csrs.AssertRefusedAsync(await Csrs.SignAsync(_host.Client, Csrs.Body(Csrs.Forged(key), token)), 401, "join_token_revoked");
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.DeleteAsync("/api/v1/identity/join-tokens/0000000000000000")).StatusCode);
    }

    [Theory]
    [InlineData("rsa", 400, "csr_key_unsupported")]
    [InlineData("p384", 400, "csr_key_unsupported")]
    [InlineData("garbage", 400, "csr_malformed")]
    [InlineData("tampered", 400, "csr_malformed")]
    [InlineData("unaccepted-hash", 403, "hash_not_accepted")]
    [InlineData("bad-hash", 400, "hash_invalid")]
    [InlineData("two-credentials", 400, "credential_ambiguous")]
    [InlineData("no-credential", 400, "credential_missing")]
    [InlineData("service-mismatch", 403, "service_mismatch")]
    public async Task Csr_BadInput_RefusedPreciselyAndTokenNotSpent(string kind, int status, string reason)
    {
        var token = await Csrs.MintAsync(_admin, "orders");
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var good = Csrs.Forged(ec);
        JsonObject body = kind switch
        {
            "rsa" => Csrs.Body(Csrs.Forged(RSA.Create(2048)), token),
            "p384" => Csrs.Body(Csrs.Forged(ECDsa.Create(ECCurve.NamedCurves.nistP384)), token),
            "garbage" => Csrs.Body("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----", token),
            "tampered" => Csrs.Body(Tamper(good), token),
            "unaccepted-hash" => Csrs.Body(good, token, "0123456789abcdef"),
            "bad-hash" => Csrs.Body(good, token, "CDD01EF066BC6CF2"),
            "two-credentials" => new JsonObject { ["csr"] = good, ["constitutional_hash"] = Csrs.Hash, ["join_token"] = token, ["kubernetes_token"] = "x" },
            "no-credential" => Csrs.Body(good),
            "service-mismatch" => new JsonObject { ["csr"] = good, ["constitutional_hash"] = Csrs.Hash, ["join_token"] = token, ["service"] = "payments" },
            _ => throw new ArgumentException(kind),
        };

        await Csrs.AssertRefusedAsync(await Csrs.SignAsync(_host.Client, body), status, reason);

        Assert.Equal(HttpStatusCode.Created, (await Csrs.SignAsync(_host.Client, Csrs.Body(good, token))).StatusCode);
    }

    [Fact]
    public async Task Csr_NotJson_Refused400MalformedRequest()
    {
        using var content = new StringContent("{\"csr\": 1", System.Text.Encoding.UTF8, "application/json");
        await Csrs.AssertRefusedAsync(await _host.Client.PostAsync("/api/v1/identity/csr", content), 400, "malformed_request");
        using var unknown = new StringContent("{\"csr\":\"x\",\"dns_names\":[\"a\"]}", System.Text.Encoding.UTF8, "application/json");
        await Csrs.AssertRefusedAsync(await _host.Client.PostAsync("/api/v1/identity/csr", unknown), 400, "malformed_request");
    }

    [Fact]
    public async Task JoinTokens_WithoutAdminToken_401AndNothingMinted()
    {
        var response = await _host.Client.PostAsJsonAsync("/api/v1/identity/join-tokens", new JsonObject { ["service"] = "orders" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var list = JsonNode.Parse(await _admin.GetStringAsync("/api/v1/identity/join-tokens"))!;
        Assert.Equal(0, (int)list["count"]!);
    }

    [Fact]
    public async Task JoinTokens_InvalidRequest_400ListsEveryProblem()
    {
        var response = await _admin.PostAsJsonAsync("/api/v1/identity/join-tokens",
            new JsonObject { ["service"] = "Bad Name", ["constitutional_hash"] = "0123456789abcdef", ["ttl_seconds"] = 0, ["max_uses"] = 5000 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsArray();
        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public async Task Csr_RenewalWithCurrentCertificate_IssuesSameIdentity_OtherKeyOrForgedRefused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var first = await Csrs.ReadAsync(await Csrs.SignAsync(_host.Client, Csrs.Body(Csrs.Forged(key), await Csrs.MintAsync(_admin, "orders"))));
        var renewal = new JsonObject { ["csr"] = Csrs.Forged(key), ["constitutional_hash"] = Csrs.Hash, ["certificate"] = (string)first["certificate"]! };

        var renewed = await Csrs.SignAsync(_host.Client, renewal);

        Assert.Equal(HttpStatusCode.Created, renewed.StatusCode);
        var body = await Csrs.ReadAsync(renewed);
        Assert.Equal("spiffe://mesh.test/svc/orders", (string?)body["spiffe_id"]);
        Assert.NotEqual((string?)first["serial"], (string?)body["serial"]);

        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        renewal["csr"] = Csrs.Forged(other);
        await Csrs.AssertRefusedAsync(await Csrs.SignAsync(_host.Client, renewal), 403, "key_mismatch");

        var selfSigned = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri("spiffe://mesh.test/svc/orders"));
        selfSigned.CertificateExtensions.Add(san.Build());
        selfSigned.CertificateExtensions.Add(WorkloadCertificate.CreateHashExtension(Csrs.Hash));
        using var forged = selfSigned.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        renewal["csr"] = Csrs.Forged(key);
        renewal["certificate"] = forged.ExportCertificatePem();
        await Csrs.AssertRefusedAsync(await Csrs.SignAsync(_host.Client, renewal), 401, "certificate_invalid");
    }

    private static string Tamper(string pem)
    {
        var der = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        der[^5] ^= 0x55;
        return PemEncoding.WriteString("CERTIFICATE REQUEST", der);
    }
}
