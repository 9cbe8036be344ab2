// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace Acgs.ControlPlane.Tests.Identity;

/// <summary>CSRs and join tokens for the identity tests.</summary>
internal static class Csrs
{
    public const string Hash = "cdd01ef066bc6cf2";

    /// <summary>A CSR for <paramref name="key"/> that claims names the CA must ignore.</summary>
    public static string Forged(AsymmetricAlgorithm key)
    {
        var subject = new X500DistinguishedName("CN=admin, O=evil");
        var request = key switch
        {
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("unsupported key type", nameof(key)),
        };
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri("spiffe://evil.example/svc/control-plane"));
        san.AddDnsName("admin.evil.example");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSigningRequestPem();
    }

    public static async Task<string> MintAsync(HttpClient admin, string service, string hash = Hash, int? ttlSeconds = null, int? maxUses = null)
    {
        var body = new JsonObject { ["service"] = service, ["constitutional_hash"] = hash };
        if (ttlSeconds is { } ttl)
        {
            body["ttl_seconds"] = ttl;
        }

        if (maxUses is { } uses)
        {
            body["max_uses"] = uses;
        }

        var response = await admin.PostAsJsonAsync("/api/v1/identity/join-tokens", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, text);
        return (string)JsonNode.Parse(text)!["token"]!;
    }

    public static Task<HttpResponseMessage> SignAsync(HttpClient client, JsonObject body) => client.PostAsJsonAsync("/api/v1/identity/csr", body);

    public static JsonObject Body(string csr, string? joinToken = null, string hash = Hash) =>
        new() { ["csr"] = csr, ["constitutional_hash"] = hash, ["join_token"] = joinToken };

    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response) => (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    /// <summary>Asserts a problem+json refusal with <paramref name="status"/> and <paramref name="reason"/>.</summary>
    public static async Task AssertRefusedAsync(HttpResponseMessage response, int status, string reason)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal("urn:acgs:identity-refused", (string?)problem["type"]);
        Assert.Equal(reason, (string?)problem["reason"]);
    }

    /// <summary>True when <paramref name="leaf"/> chains to one of the PEM anchors.</summary>
    public static bool Chains(X509Certificate2 leaf, IEnumerable<string> anchors, IEnumerable<string>? intermediates = null)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var anchor in anchors)
        {
            chain.ChainPolicy.CustomTrustStore.Add(X509Certificate2.CreateFromPem(anchor));
        }

        foreach (var intermediate in intermediates ?? [])
        {
            chain.ChainPolicy.ExtraStore.Add(X509Certificate2.CreateFromPem(intermediate));
        }

        return chain.Build(leaf);
    }
}
