// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Acgs.ControlPlane.Tests.Policies;

/// <summary>Egress policies through the REST API on a real Kestrel listener: bad names and duplicates refused with their paths, a good one activated.</summary>
public sealed class EgressPolicyApiTests() : PolicyApiTestBase("orders-calls")
{
    [Fact]
    public async Task PostVersion_BadAndDuplicateServices_Returns400WithThePaths()
    {
        var spec = new JsonObject { ["services"] = new JsonArray("payments", "Not A Service", "payments") };
        var response = await Admin.PostAsJsonAsync("/api/v1/policies/orders-calls/versions",
            PolicyDocuments.VersionBody("1.0.0", PolicyDocuments.Document("orders-calls", "Egress", "orders", spec)));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            ["spec.services[1]: must be 1-253 characters of lowercase letters, digits, '-', '.', '_'", "spec.services[2]: appears more than once"],
            problem["errors"]!.AsArray().Select(e => (string)e!).ToArray());
    }

    [Fact]
    public async Task Activate_ServiceWithoutSidecars_PreviewWarnsAndHoldsNoCluster()
    {
        var created = await Admin.PostAsJsonAsync("/api/v1/policies/orders-calls/versions",
            PolicyDocuments.VersionBody("1.0.0", PolicyDocuments.Document("orders-calls", "Egress", "orders", new JsonObject { ["services"] = new JsonArray("payments") })));
        var activated = await Admin.PutAsync("/api/v1/policies/orders-calls/activate?version=1.0.0", null);
        var preview = JsonNode.Parse(await Host.Client.GetStringAsync("/api/v1/discovery/snapshots/orders"))!;

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
        Assert.Empty(preview["snapshot"]!["clusters"]!.AsObject());
        Assert.Empty(preview["snapshot"]!["routes"]!.AsArray());
        Assert.Contains(preview["warnings"]!.AsArray(), w => ((string)w!).Contains("egress service 'payments' has no sidecars yet", StringComparison.Ordinal));
    }
}
