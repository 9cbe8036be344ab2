// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Acgs.Contracts.Identity;

namespace Acgs.Sidecar.Tests.Identity;

/// <summary>Client certificates for tests: real ones from the control plane's CA, and forged ones.</summary>
internal static class WorkloadCertificates
{
    /// <summary>A certificate for <paramref name="service"/> issued by the control plane, with its key, and the trust bundle.</summary>
    public static async Task<(X509Certificate2 Certificate, X509Certificate2Collection Anchors)> IssueAsync(HttpClient admin, Uri controlPlane, string service)
    {
        var token = await IdentityTestMesh.MintAsync(admin, service);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=test", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        using var client = new HttpClient { BaseAddress = controlPlane };
        var response = await client.PostAsJsonAsync(IdentityPaths.Csr, new JsonObject { ["csr"] = csr, ["constitutional_hash"] = "cdd01ef066bc6cf2", ["join_token"] = token });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        using var leaf = X509Certificate2.CreateFromPem((string)body["certificate"]!);
        var anchors = new X509Certificate2Collection();
        foreach (var pem in body["trust_bundle"]!.AsArray())
        {
            anchors.Add(X509Certificate2.CreateFromPem((string)pem!));
        }

        return (leaf.CopyWithPrivateKey(key), anchors);
    }

    /// <summary>A self-signed certificate claiming <paramref name="spiffeId"/> and the default hash.</summary>
    public static X509Certificate2 Forged(string spiffeId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=forged", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(spiffeId));
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(WorkloadCertificate.CreateHashExtension("cdd01ef066bc6cf2"));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
    }

    /// <summary>An HTTPS client presenting <paramref name="certificate"/> that accepts only a server with <paramref name="serverId"/> chained to <paramref name="anchors"/>.</summary>
    public static HttpClient Client(X509Certificate2? certificate, X509Certificate2Collection anchors, string serverId, Version? version = null)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = certificate is null ? null : [certificate],
                RemoteCertificateValidationCallback = (_, server, _, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
                    var leaf = (X509Certificate2)server!;
                    return chain.Build(leaf) && WorkloadCertificate.GetSpiffeId(leaf) == serverId;
                },
            },
        };
        return new HttpClient(handler) { DefaultRequestVersion = version ?? HttpVersion11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact, Timeout = TimeSpan.FromSeconds(10) };
    }

    private static Version HttpVersion11 => new(1, 1);
}
