// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Acgs.ControlPlane.Tests.Policies;

/// <summary>Authorization policies through the REST API on a real Kestrel listener: bad specs refused with every problem, good ones activated.</summary>
public sealed class AuthorizationPolicyApiTests() : PolicyApiTestBase
{
    [Fact]
    public async Task PostVersion_BadAuthorizationSpec_Returns400ListingEveryProblem()
    {
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = "authz" })).StatusCode);
        var spec = JsonNode.Parse("""
            {"action":"permit","default_action":"deny","rules":[{"from":[]},{"from":["Not A Service"],"to":{"paths":["api"],"methods":["brew"]}}]}
            """)!.AsObject();

        var response = await Admin.PostAsJsonAsync("/api/v1/policies/authz/versions",
            PolicyDocuments.VersionBody("1.0.0", PolicyDocuments.Document("authz", "Authorization", "orders", spec)));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("action", text, StringComparison.Ordinal); // an unknown enum value is a parse error, reported alone
    }

    [Fact]
    public async Task PostVersion_EverySpecProblem_ListedTogether()
    {
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = "authz" })).StatusCode);
        var spec = JsonNode.Parse("""
            {"action":"allow","default_action":"deny","rules":[{"from":[]},{"from":["Not A Service"],"to":{"paths":["api"],"methods":["brew"]}}]}
            """)!.AsObject();

        var response = await Admin.PostAsJsonAsync("/api/v1/policies/authz/versions",
            PolicyDocuments.VersionBody("1.0.0", PolicyDocuments.Document("authz", "Authorization", "orders", spec)));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var errors = problem["errors"]!.AsArray().Select(e => ((string)e!).Split(':')[0]).ToList();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["spec.default_action", "spec.rules[0].from", "spec.rules[1].from[0]", "spec.rules[1].to.paths[0]", "spec.rules[1].to.methods[0]"], errors);
        Assert.Empty(JsonNode.Parse(await Host.Client.GetStringAsync("/api/v1/policies/authz/versions"))!.AsArray());
    }

    [Fact]
    public async Task Activate_ValidAllowList_Accepted()
    {
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = "orders-callers" })).StatusCode);
        var spec = JsonNode.Parse("""{"rules":[{"from":["frontend","spiffe://acgs.local/svc/billing"],"to":{"paths":["/api"],"methods":["GET"]}}]}""")!.AsObject();

        var created = await Admin.PostAsJsonAsync("/api/v1/policies/orders-callers/versions",
            PolicyDocuments.VersionBody("1.0.0", PolicyDocuments.Document("orders-callers", "Authorization", "orders", spec)));
        var activated = await Admin.PutAsync("/api/v1/policies/orders-callers/activate?version=1.0.0", null);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
    }
}
