// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Acgs.ControlPlane.Tests.Policies;

/// <summary>Tracing policies through the REST API on a real Kestrel listener: a bad ratio refused with its path, a good one activated.</summary>
public sealed class TracingPolicyApiTests() : PolicyApiTestBase("traces")
{
    [Theory]
    [InlineData("""{"sampling_ratio":1.5}""", "spec.sampling_ratio: must be a number from 0 to 1 (the share of new traces recorded), got 1.5")]
    [InlineData("""{"sampling_ratio":-1}""", "spec.sampling_ratio: must be a number from 0 to 1 (the share of new traces recorded), got -1")]
    [InlineData("{}", "spec.sampling_ratio: is required: a number from 0 to 1 (the share of new traces recorded)")]
    public async Task PostVersion_BadRatio_Returns400WithThePath(string spec, string expected)
    {
        var response = await Admin.PostAsJsonAsync("/api/v1/policies/traces/versions",
            PolicyDocuments.VersionBody("1.0.0", PolicyDocuments.Document("traces", "Tracing", "mesh", JsonNode.Parse(spec)!.AsObject())));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([expected], problem["errors"]!.AsArray().Select(e => (string)e!).ToArray());
        Assert.Empty(JsonNode.Parse(await Host.Client.GetStringAsync("/api/v1/policies/traces/versions"))!.AsArray());
    }

    [Fact]
    public async Task PostVersion_RatioNotANumber_Returns400()
    {
        var response = await Admin.PostAsJsonAsync("/api/v1/policies/traces/versions",
            PolicyDocuments.VersionBody("1.0.0", PolicyDocuments.Document("traces", "Tracing", "mesh", new JsonObject { ["sampling_ratio"] = "half" })));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("sampling_ratio", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Activate_ValidRatio_InThePreviewSnapshot()
    {
        var created = await Admin.PostAsJsonAsync("/api/v1/policies/traces/versions",
            PolicyDocuments.VersionBody("1.0.0", PolicyDocuments.Document("traces", "Tracing", "orders", new JsonObject { ["sampling_ratio"] = 0.1 })));
        var activated = await Admin.PutAsync("/api/v1/policies/traces/activate?version=1.0.0", null);
        var preview = JsonNode.Parse(await Host.Client.GetStringAsync("/api/v1/discovery/snapshots/orders"))!["snapshot"]!;

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
        Assert.Equal(0.1, (double)preview["tracing"]!["sampling_ratio"]!);
        Assert.Equal("traces", (string)preview["tracing"]!["name"]!);
    }
}
