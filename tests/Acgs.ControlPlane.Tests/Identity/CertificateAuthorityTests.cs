// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Hosting;
using Microsoft.Extensions.Configuration;

namespace Acgs.ControlPlane.Tests.Identity;

/// <summary>Where the CA comes from: generated and kept (owner-only) across restarts, or the operator's PEM files.</summary>
public sealed class CertificateAuthorityTests : IDisposable
{
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task GeneratedCa_Restart_SameTrustBundleAndOwnerOnlyFile()
    {
        string first;
        await using (var host = await ControlPlaneHost.StartEmbeddedAsync(_directory))
        {
            first = await host.Client.GetStringAsync("/api/v1/identity/trust-bundle");
        }

        await using (var host = await ControlPlaneHost.StartEmbeddedAsync(_directory))
        {
            Assert.Equal(first, await host.Client.GetStringAsync("/api/v1/identity/trust-bundle"));
        }

        var file = Path.Combine(_directory, "identity", "ca.pem");
        Assert.True(OperatingSystem.IsLinux());
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Contains("PRIVATE KEY", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileCa_IntermediateIssuerAndTwoAnchors_LeafChainsToTheRoot()
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = CaRequest("CN=root", rootKey).CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issuer = CaRequest("CN=issuer", issuerKey).Create(root, now.AddDays(-1), now.AddYears(1), [1, 2, 3]);
        using var nextRootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var nextRoot = CaRequest("CN=next-root", nextRootKey).CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
        Directory.CreateDirectory(_directory);
        var certPath = Path.Combine(_directory, "issuer.pem");
        var keyPath = Path.Combine(_directory, "issuer.key");
        var anchorsPath = Path.Combine(_directory, "anchors.pem");
        await File.WriteAllTextAsync(certPath, issuer.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, issuerKey.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(anchorsPath, root.ExportCertificatePem() + "\n" + nextRoot.ExportCertificatePem());

        await using var host = await ControlPlaneHost.StartEmbeddedAsync(Path.Combine(_directory, "data"), extra: new Dictionary<string, string?>
        {
            ["ACGS_CA_CERT"] = certPath,
            ["ACGS_CA_KEY"] = keyPath,
            ["ACGS_TRUST_ANCHORS"] = anchorsPath,
        });
        using var admin = host.AdminClient();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var response = await Csrs.SignAsync(host.Client, Csrs.Body(Csrs.Forged(key), await Csrs.MintAsync(admin, "orders")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Csrs.ReadAsync(response);
        var bundle = body["trust_bundle"]!.AsArray().Select(n => (string)n!).ToList();
        Assert.Equal(2, bundle.Count);
        var chain = body["chain"]!.AsArray().Select(n => (string)n!).ToList();
        Assert.Single(chain);
        using var leaf = X509Certificate2.CreateFromPem((string)body["certificate"]!);
        Assert.True(Csrs.Chains(leaf, [root.ExportCertificatePem()], chain));
        Assert.False(Csrs.Chains(leaf, [root.ExportCertificatePem()]));
        Assert.False(File.Exists(Path.Combine(_directory, "data", "identity", "ca.pem")));
    }

    [Fact]
    public void Build_CaCertWithoutKeyAndBadTtl_ListsEveryProblem()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ACGS_CA_CERT"] = "/nonexistent.pem",
            ["ACGS_CERT_TTL"] = "5s",
            ["ACGS_TRUST_DOMAIN"] = "Bad Domain",
            ["ACGS_DATA_DIR"] = _directory,
        };
        var error = Assert.Throws<InvalidOperationException>(() => ControlPlaneApplication.Build([], c => c.AddInMemoryCollection(settings)));
        Assert.Contains("ACGS_CA_CERT and ACGS_CA_KEY", error.Message, StringComparison.Ordinal);
        Assert.Contains("ACGS_CERT_TTL", error.Message, StringComparison.Ordinal);
        Assert.Contains("ACGS_TRUST_DOMAIN", error.Message, StringComparison.Ordinal);
    }

    private static CertificateRequest CaRequest(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }
}
