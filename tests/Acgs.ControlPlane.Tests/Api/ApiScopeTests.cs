// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Hosting;
using Microsoft.Extensions.Configuration;

namespace Acgs.ControlPlane.Tests.Api;

/// <summary>Token scopes on a real control plane with <c>ACGS_API_READS=token</c>: the read token reads, only the admin token writes.</summary>
public sealed class ApiScopeTests : IAsyncLifetime
{
    private const string ReadToken = "test-read-token-0123456789";
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartEmbeddedAsync(_directory,
        extra: new Dictionary<string, string?> { ["ACGS_READ_TOKEN"] = ReadToken, ["ACGS_API_READS"] = "token" });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("/api/v1/policies")]
    [InlineData("/api/v1/leader")]
    [InlineData("/api/v1/discovery/sidecars")]
    [InlineData("/api/v1/audit")]
    [InlineData("/api/v1/health/mesh")]
    public async Task Read_ReadOrAdminToken_AllowedWithoutOrWrongToken401(string path)
    {
        using var reader = Client(ReadToken);
        using var admin = _host.AdminClient();
        using var wrong = Client(ReadToken + "x");

        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(path)).StatusCode);
        var anonymous = await _host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Write_ReadToken_403InsufficientScopeAndNothingStored()
    {
        using var reader = Client(ReadToken);

        var response = await reader.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = "p" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("urn:acgs:insufficient-scope", (string?)JsonNode.Parse(text)!["type"]);
        Assert.DoesNotContain(ReadToken, text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/api/v1/policies/p")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _host.AdminClient().PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = "p" })).StatusCode);
        Assert.Contains("acgs_controlplane_api_auth_refusals_total{scope=\"admin\",reason=\"insufficient_scope\"} 1", await reader.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenPaths_TrustBundleProbesMetrics_NeedNoToken()
    {
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync("/api/v1/identity/trust-bundle")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Read_NoTokenConfigured_403ReadsDisabled()
    {
        var directory = ControlPlaneHost.NewDataDirectory();
        await using (var host = await ControlPlaneHost.StartEmbeddedAsync(directory, adminToken: null, extra: new Dictionary<string, string?> { ["ACGS_API_READS"] = "token" }))
        {
            var response = await host.Client.GetAsync("/api/v1/policies");

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("urn:acgs:reads-disabled", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]);
        }

        Directory.Delete(directory, recursive: true);
    }

    [Theory]
    [InlineData("ACGS_READ_TOKEN", ControlPlaneHost.AdminToken, "ACGS_READ_TOKEN: must differ from ACGS_ADMIN_TOKEN")]
    [InlineData("ACGS_READ_TOKEN", "short", "ACGS_READ_TOKEN: must be at least 16 characters")]
    [InlineData("ACGS_API_READS", "everyone", "ACGS_API_READS: must be")]
    [InlineData("ACGS_SIDECAR_AUTH", "token", "ACGS_SIDECAR_AUTH: token needs ACGS_SIDECAR_TOKEN")]
    [InlineData("ACGS_SIDECAR_AUTH", "mtls", "ACGS_SIDECAR_AUTH: must be")]
    public void Settings_Invalid_OneLineEachWithoutTheSecret(string name, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ACGS_ADMIN_TOKEN"] = ControlPlaneHost.AdminToken, [name] = value,
        }).Build();

        ControlPlaneSettings.Read(configuration, out var problems);

        var problem = Assert.Single(problems);
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
        Assert.DoesNotContain(ControlPlaneHost.AdminToken, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_IdentityWithSharedToken_Problem()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ACGS_SIDECAR_AUTH"] = "identity", ["ACGS_SIDECAR_TOKEN"] = "shared-sidecar-token-0123456789",
        }).Build();

        ControlPlaneSettings.Read(configuration, out var problems);

        Assert.StartsWith("ACGS_SIDECAR_AUTH: identity accepts workload credentials only", Assert.Single(problems), StringComparison.Ordinal);
    }

    private HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = _host.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
