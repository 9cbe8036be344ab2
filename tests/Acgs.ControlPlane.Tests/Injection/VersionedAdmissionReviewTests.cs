// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.Injection;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.ControlPlane.Tests.Injection;

/// <summary>The webhook over real TLS with AdmissionReviews shaped like those of Kubernetes 1.29–1.33: the patch applies to the API server's pod.</summary>
public sealed class VersionedAdmissionReviewTests : IDisposable
{
    private readonly TestCertificate certificate = TestCertificate.Create();
    private readonly string dataDirectory = ControlPlaneHost.NewDataDirectory();

    [Fact]
    public async Task InjectNamespaceEnabled_ReviewsOfEachVersion_PatchAppliesToTheDefaultedPod()
    {
        await using var host = await ControlPlaneHost.StartEmbeddedAsync(dataDirectory, extra: new Dictionary<string, string?>
        {
            ["ACGS_WEBHOOK_CERT"] = certificate.CertificatePath,
            ["ACGS_WEBHOOK_KEY"] = certificate.KeyPath,
            ["ACGS_WEBHOOK_PORT"] = "0",
            ["ACGS_WEBHOOK_BIND"] = "127.0.0.1",
        });
        var address = host.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single(static a => a.StartsWith("https://", StringComparison.Ordinal));
        using var client = certificate.TrustingClient(new Uri(address));

        foreach (var version in VersionedAdmissionReviews.Versions)
        {
            var request = VersionedAdmissionReviews.Review(version, "uid-" + version);
            using var response = await client.PostAsJsonAsync("/inject/namespace-enabled", request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var review = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("admission.k8s.io/v1", (string?)review["apiVersion"]);
            Assert.Equal("uid-" + version, (string?)review["response"]!["uid"]);
            Assert.True((bool)review["response"]!["allowed"]!);
            var operations = JsonNode.Parse(Convert.FromBase64String((string)review["response"]!["patch"]!))!.AsArray()
                .Select(static o => new JsonPatchOperation((string)o!["op"]!, (string)o["path"]!, o["value"]?.DeepClone())).ToList();
            var document = request["request"]!["object"]!.DeepClone();
            JsonPatch.Apply(document, operations);
            var pod = KubernetesJson.Deserialize<V1Pod>(document.ToJsonString());

            Assert.Equal(["acgs-init", "acgs-sidecar"], pod.Spec.InitContainers.Select(static c => c.Name));
            Assert.Equal(["kube-api-access-x7k2p", "acgs-run", "acgs-identity"], pod.Spec.Volumes.Select(static v => v.Name));
            Assert.Equal("/app-health/web/readyz", pod.Spec.Containers[0].ReadinessProbe.HttpGet.Path);
            Assert.Equal("web", pod.Spec.InitContainers[1].Env.Single(static e => e.Name == "ACGS_SERVICE_NAME").Value);
            Assert.Equal("8080", pod.Spec.InitContainers[1].Env.Single(static e => e.Name == "ACGS_APP_PORT").Value);
            Assert.Equal(version == "1.33", pod.Spec.Containers[0].ResizePolicy is { Count: 2 });
        }
    }

    public void Dispose()
    {
        certificate.Dispose();
        Directory.Delete(dataDirectory, recursive: true);
    }
}
