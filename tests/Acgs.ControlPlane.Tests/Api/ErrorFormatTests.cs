// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Api;

namespace Acgs.ControlPlane.Tests.Api;

/// <summary>Every API answers an unreadable request the same way: problem+json listing the problem, no .NET type names, nothing changed.</summary>
public sealed class ErrorFormatTests : IAsyncLifetime
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

    private async Task<(HttpStatusCode Status, JsonNode Problem, string Raw)> SendAsync(HttpMethod method, string path, string body, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        using var response = await _admin.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonNode.Parse(raw)!, raw);
    }

    [Theory]
    [InlineData("/api/v1/policies", "not json", "body: not valid JSON (line 1, byte 1)")]
    [InlineData("/api/v1/policies", "{\"id\":\"x\",\"bogus\":1}", "body: $.bogus: unknown field")]
    [InlineData("/api/v1/policies", "{\"id\":5}", "body: $.id: wrong type or value")]
    [InlineData("/api/v1/rollouts", "{\"service\":\"a\",\"green_cluster\":\"b\",\"steps\":[{\"weight\":\"x\"}]}", "body: $.steps[0].weight: wrong type or value")]
    [InlineData("/api/v1/chaos/emergency-stop", "{\"reason\":\"r\",\"extra\":true}", "body: $.extra: unknown field")]
    [InlineData("/api/v1/policies/validate", "[1,2]", "body: $: wrong type or value")]
    public async Task Post_UnreadableBody_Returns400ProblemNamingThePathOnly(string path, string body, string expected)
    {
        var (status, problem, raw) = await SendAsync(HttpMethod.Post, path, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(Problems.ValidationType, (string?)problem["type"]);
        Assert.Equal(expected, (string?)problem["errors"]![0]);
        Assert.DoesNotContain("Acgs.", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", raw, StringComparison.Ordinal);
        Assert.Empty(JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/policies"))!.AsArray());
    }

    [Fact]
    public async Task Post_WrongContentType_Returns415Problem()
    {
        var (status, problem, _) = await SendAsync(HttpMethod.Post, "/api/v1/policies", "{\"id\":\"x\"}", "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("Content-Type: must be application/json", (string?)problem["errors"]![0]);
    }

    [Fact]
    public async Task GetSnapshot_UnknownService_Returns404()
    {
        using var response = await _host.Client.GetAsync("/api/v1/discovery/snapshots/no-such-service");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
