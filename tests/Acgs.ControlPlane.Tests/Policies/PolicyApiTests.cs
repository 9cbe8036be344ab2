// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Policies;

namespace Acgs.ControlPlane.Tests.Policies;

/// <summary>The REST API on a real Kestrel listener with the embedded store.</summary>
public sealed class PolicyApiTests : IAsyncLifetime
{
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private ControlPlaneHost _host = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await ControlPlaneHost.StartEmbeddedAsync(_directory);
        _admin = _host.AdminClient();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response) =>
        (JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject)!;

    private async Task CreateAsync(string id) =>
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = id })).StatusCode);

    [Fact]
    public async Task Post_WithoutToken_Returns401ProblemAndStoresNothing()
    {
        var response = await _host.Client.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = "p" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync("/api/v1/policies/p")).StatusCode);
    }

    [Fact]
    public async Task Post_WrongToken_Returns401WithoutEchoingIt()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/policies") { Content = JsonContent.Create(new JsonObject { ["id"] = "p" }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-token-wrong-token-xyz");

        var response = await _host.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("wrong-token", body, StringComparison.Ordinal);
        Assert.DoesNotContain(ControlPlaneHost.AdminToken, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_WrongTokenAndMalformedBody_Returns401BeforeReadingBody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/policies") { Content = new StringContent("{not json", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ControlPlaneHost.AdminToken + "x");

        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Post_NoTokenConfigured_Returns403WritesDisabled()
    {
        var directory = ControlPlaneHost.NewDataDirectory();
        await using (var host = await ControlPlaneHost.StartEmbeddedAsync(directory, adminToken: null))
        {
            using var admin = host.AdminClient();

            var response = await admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = "p" });
            var problem = await ReadObjectAsync(response);

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("urn:acgs:writes-disabled", (string?)problem["type"]);
            Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/v1/policies")).StatusCode);
        }

        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task PostVersion_InvalidVersionAndContent_Returns400ListingEveryErrorAndStoresNothing()
    {
        await CreateAsync("bad");
        var content = PolicyDocuments.Breaker("other-name", failMax: 0);
        content["constitutional_hash"] = "NOT-A-HASH";

        var response = await _admin.PostAsJsonAsync("/api/v1/policies/bad/versions", PolicyDocuments.VersionBody("1.0", content));
        var problem = await ReadObjectAsync(response);
        var errors = problem["errors"]!.AsArray().Select(e => (string)e!).ToList();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(errors, e => e.StartsWith("version:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("constitutional_hash:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("spec.fail_max:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("name:", StringComparison.Ordinal));
        var versions = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/policies/bad/versions"))!.AsArray();
        Assert.Empty(versions);
    }

    [Fact]
    public async Task PostVersion_HashNotAccepted_Returns400WithoutRevealingTheAcceptedHash()
    {
        await CreateAsync("rotated");
        var content = PolicyDocuments.Breaker("rotated");
        content["constitutional_hash"] = PolicyDocuments.OtherHash();

        var response = await _admin.PostAsJsonAsync("/api/v1/policies/rotated/versions", PolicyDocuments.VersionBody("1.0.0", content));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("constitutional_hash", body, StringComparison.Ordinal);
        Assert.DoesNotContain(Acgs.Core.AcgsConstants.ConstitutionalHash, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Activate_SecondVersion_RetiresTheFirstAndServesItsContent()
    {
        await CreateAsync("breakers");
        var v1 = await _admin.PostAsJsonAsync("/api/v1/policies/breakers/versions", PolicyDocuments.VersionBody("1.0.0", PolicyDocuments.Breaker("breakers", failMax: 3)));
        var v2 = await _admin.PostAsJsonAsync("/api/v1/policies/breakers/versions", PolicyDocuments.VersionBody("1.1.0", PolicyDocuments.Breaker("breakers", failMax: 4)));
        Assert.Equal(HttpStatusCode.Created, v1.StatusCode);
        Assert.Equal(HttpStatusCode.Created, v2.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await _admin.PutAsync("/api/v1/policies/breakers/activate?version=1.0.0", null)).StatusCode);
        var activated = await _admin.PutAsync("/api/v1/policies/breakers/activate?version=1.1.0", null);
        var policy = await ReadObjectAsync(activated);
        var statuses = policy["versions"]!.AsArray().ToDictionary(v => (string)v!["version"]!, v => (string)v!["status"]!);

        Assert.Equal("1.1.0", (string?)policy["active_version"]);
        Assert.Equal("retired", statuses["1.0.0"]);
        Assert.Equal("active", statuses["1.1.0"]);
        var content = await _host.Client.GetAsync("/api/v1/policies/breakers/content");
        var sha = (string)(await ReadObjectAsync(v2))["content_sha256"]!;
        Assert.Equal("\"" + sha + "\"", content.Headers.ETag?.Tag);
        Assert.Equal(4, (int)JsonNode.Parse(await content.Content.ReadAsStringAsync())!["spec"]!["fail_max"]!);
        Assert.Equal(sha, CanonicalJson.Sha256(await content.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task PostVersion_Duplicate_Returns409AndFirstContentKept()
    {
        await CreateAsync("dup");
        await _admin.PostAsJsonAsync("/api/v1/policies/dup/versions", PolicyDocuments.VersionBody("1.0.0", PolicyDocuments.Breaker("dup", failMax: 3)));

        var again = await _admin.PostAsJsonAsync("/api/v1/policies/dup/versions", PolicyDocuments.VersionBody("1.0.0", PolicyDocuments.Breaker("dup", failMax: 9)));
        var stored = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/policies/dup/versions/1.0.0"))!;

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(3, (int)stored["content"]!["spec"]!["fail_max"]!);
    }

    [Fact]
    public async Task Activate_UnknownVersion_Returns404()
    {
        await CreateAsync("p404");

        Assert.Equal(HttpStatusCode.NotFound, (await _admin.PutAsync("/api/v1/policies/p404/activate?version=9.9.9", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.PutAsync("/api/v1/policies/none/activate?version=1.0.0", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync("/api/v1/policies/p404/content")).StatusCode);
    }

    [Fact]
    public async Task Post_InvalidId_Returns400()
    {
        var response = await _admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = "Bad Id!" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, await CreateTwiceAsync());
    }

    private async Task<HttpStatusCode> CreateTwiceAsync()
    {
        await CreateAsync("twice");
        return (await _admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = "twice" })).StatusCode;
    }

    [Fact]
    public async Task Audit_AfterWrites_ListsEveryWriteAndChainVerifies()
    {
        await CreateAsync("audited");
        await _admin.PostAsJsonAsync("/api/v1/policies/audited/versions", PolicyDocuments.VersionBody("1.0.0", PolicyDocuments.Breaker("audited")));
        await _admin.PutAsync("/api/v1/policies/audited/activate?version=1.0.0", null);

        var audit = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/audit"))!;

        Assert.True((bool)audit["chain_valid"]!);
        Assert.Equal(["policy.create", "policy.version.create", "policy.activate"], audit["entries"]!.AsArray().Select(e => (string)e!["action"]!));
    }

    [Fact]
    public async Task Probes_AndMetrics_AnswerWithoutToken()
    {
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync("/health/startup")).StatusCode);
        await CreateAsync("metered");
        Assert.Contains("acgs_controlplane_policy_writes_total{action=\"policy.create\"} 1", await _host.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }
}
