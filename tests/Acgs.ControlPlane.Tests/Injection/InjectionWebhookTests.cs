// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.ControlPlane.Tests.Injection;

/// <summary>The webhook through a real control plane: Kestrel, a TLS listener with a certificate made here, a client that trusts it.</summary>
public sealed class InjectionWebhookTests : IDisposable
{
    private readonly TestCertificate certificate = TestCertificate.Create();
    private readonly string dataDirectory = ControlPlaneHost.NewDataDirectory();

    [Fact]
    public async Task Inject_OverTls_AnswersAdmissionReviewWithPatch()
    {
        await using var host = await StartAsync(Tls());
        using var client = certificate.TrustingClient(WebhookAddress(host));

        using var response = await client.PostAsJsonAsync("/inject", AdmissionReviews.Review(AdmissionReviews.Pod("true"), uid: "abc-123"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var review = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("abc-123", (string?)review["response"]!["uid"]);
        Assert.True((bool)review["response"]!["allowed"]!);
        Assert.Equal("JSONPatch", (string?)review["response"]!["patchType"]);
        var patch = JsonNode.Parse(Convert.FromBase64String((string)review["response"]!["patch"]!))!.AsArray();
        Assert.Equal("acgs-sidecar", (string?)patch[0]!["value"]![1]!["name"]);
    }

    [Fact]
    public async Task InjectNamespaceEnabled_OverTls_InjectsUnannotatedPod()
    {
        await using var host = await StartAsync(Tls());
        using var client = certificate.TrustingClient(WebhookAddress(host));

        using var enabled = await client.PostAsJsonAsync("/inject/namespace-enabled", AdmissionReviews.Review(AdmissionReviews.Pod()));
        using var annotationOnly = await client.PostAsJsonAsync("/inject", AdmissionReviews.Review(AdmissionReviews.Pod()));

        Assert.True(JsonNode.Parse(await enabled.Content.ReadAsStringAsync())!["response"]!.AsObject().ContainsKey("patch"));
        Assert.False(JsonNode.Parse(await annotationOnly.Content.ReadAsStringAsync())!["response"]!.AsObject().ContainsKey("patch"));
    }

    [Fact]
    public async Task Inject_MalformedReview_Answers400ProblemAndCountsIt()
    {
        await using var host = await StartAsync(Tls());
        using var client = certificate.TrustingClient(WebhookAddress(host));

        using var response = await client.PostAsync("/inject", new StringContent("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}""", Encoding.UTF8, "application/json"));
        using var again = await client.PostAsync("/inject", new StringContent("not json", Encoding.UTF8, "application/json"));
        var metrics = await host.Client.GetStringAsync("/metrics");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("request is missing or not an object", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("acgs_controlplane_injection_reviews_total{result=\"malformed\"} 2", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inject_OnPlainApiPortByDefault_IsNotFound()
    {
        await using var host = await StartAsync(Tls());

        using var response = await host.Client.PostAsJsonAsync("/inject", AdmissionReviews.Review(AdmissionReviews.Pod("true")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Inject_OnApiPortWhenExplicitlyEnabled_Answers()
    {
        await using var host = await StartAsync(new Dictionary<string, string?> { ["ACGS_WEBHOOK_ON_API_PORT"] = "true" });

        using var response = await host.Client.PostAsJsonAsync("/inject", AdmissionReviews.Review(AdmissionReviews.Pod("true")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Start_WithoutCertificate_HasNoWebhookListener()
    {
        await using var host = await StartAsync(new Dictionary<string, string?>());

        var addresses = host.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        using var response = await host.Client.PostAsJsonAsync("/inject", AdmissionReviews.Review(AdmissionReviews.Pod("true")));

        Assert.DoesNotContain(addresses, static a => a.StartsWith("https://", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Inject_ClientNotTrustingAnotherCertificate_FailsHandshake()
    {
        await using var host = await StartAsync(Tls());
        using var other = TestCertificate.Create("CN=someone-else");
        using var client = other.TrustingClient(WebhookAddress(host));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsJsonAsync("/inject", AdmissionReviews.Review(AdmissionReviews.Pod("true"))));
    }

    [Fact]
    public void Build_CertificateWithoutKeyAndBadInjectionSettings_ThrowsListingAll()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ACGS_CONTROL_PLANE_PORT"] = "0",
            ["ACGS_DATA_DIR"] = dataDirectory,
            ["REDIS_URL"] = string.Empty,
            ["ACGS_WEBHOOK_CERT"] = certificate.CertificatePath,
            ["ACGS_WEBHOOK_PORT"] = "70000",
            ["ACGS_INJECT_IMAGE_PULL_POLICY"] = "Sometimes",
        };

        var error = Assert.Throws<InvalidOperationException>(() => ControlPlaneApplication.Build([], c => c.AddInMemoryCollection(settings)));

        Assert.Contains("ACGS_WEBHOOK_CERT and ACGS_WEBHOOK_KEY must be set together", error.Message, StringComparison.Ordinal);
        Assert.Contains("ACGS_WEBHOOK_PORT", error.Message, StringComparison.Ordinal);
        Assert.Contains("ACGS_INJECT_IMAGE_PULL_POLICY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_CertificateFileNotPem_FailsWithPreciseMessage()
    {
        File.WriteAllText(certificate.KeyPath, "not a key");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(Tls()));

        Assert.Contains("ACGS_WEBHOOK_CERT/ACGS_WEBHOOK_KEY: cannot load", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        certificate.Dispose();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private Dictionary<string, string?> Tls() => new()
    {
        ["ACGS_WEBHOOK_CERT"] = certificate.CertificatePath,
        ["ACGS_WEBHOOK_KEY"] = certificate.KeyPath,
        ["ACGS_WEBHOOK_PORT"] = "0",
        ["ACGS_WEBHOOK_BIND"] = "127.0.0.1",
    };

    private Task<ControlPlaneHost> StartAsync(Dictionary<string, string?> extra) => ControlPlaneHost.StartEmbeddedAsync(dataDirectory, extra: extra);

    private static Uri WebhookAddress(ControlPlaneHost host)
    {
        var address = host.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Single(static a => a.StartsWith("https://", StringComparison.Ordinal));
        return new Uri(address);
    }
}
