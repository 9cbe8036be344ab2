// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Contracts.Config;
using Acgs.Core;
using Acgs.Sidecar.Tests.Fixtures;

namespace Acgs.Sidecar.Tests.Policy;

public sealed class HashEnforcementMiddlewareTests
{
    // A well-formed hash that is not accepted, built at runtime (never written as a labelled hash).
    private static readonly string OtherHash = new('a', AcgsConstants.HashLength);

    [Fact]
    public async Task Inbound_ValidHash_ProxiesToApp()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port);

        using var response = await sidecar.GetInboundAsync("/hello");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("app:/hello:HTTP/1.1", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, app.Requests);
    }

    public static TheoryData<string, string[]?> Failures() => new()
    {
        { "missing", null },
        { "empty", [""] },
        { "repeated", [AcgsConstants.ConstitutionalHash, AcgsConstants.ConstitutionalHash] },
        { "repeated", [AcgsConstants.ConstitutionalHash + "," + AcgsConstants.ConstitutionalHash] },
        { "malformed", [AcgsConstants.ConstitutionalHash[..15]] },
        { "malformed", [AcgsConstants.ConstitutionalHash.ToUpperInvariant()] },
        { "mismatch", [OtherHash] },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Inbound_InvalidHash_Returns403ProblemWithoutExpectedValue(string reason, string[]? values)
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port);
        var counter = sidecar.Metrics.HashRejections.WithLabels("inbound", reason);
        using var request = SidecarTestHost.Request(HttpMethod.Get, sidecar.Inbound, "/x", hash: null);
        foreach (var value in values ?? [])
        {
            request.Headers.TryAddWithoutValidation(AcgsConstants.HashHeaderName, value);
        }

        using var response = await sidecar.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"type\":\"urn:acgs:constitutional-hash-mismatch\"", body, StringComparison.Ordinal);
        Assert.Contains($"\"reason\":\"{reason}\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain(AcgsConstants.ConstitutionalHash, body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, app.Requests);
        Assert.Equal(1, counter.Value);
    }

    [Fact]
    public async Task Inbound_Mismatch_ShowsAtMostEightCharactersOfWhatWasSent()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port);

        using var response = await sidecar.GetInboundAsync("/x", OtherHash);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains("\"presented_prefix\":\"aaaaaaaa\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('a', 9), body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inbound_AuditMode_PassesAndCounts()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port, s => s with { HashPolicy = new HashPolicy { Mode = HashMode.Audit } });
        var counter = sidecar.Metrics.HashAuditFailures.WithLabels("inbound", "missing");
        var rejections = sidecar.Metrics.HashRejections.WithLabels("inbound", "missing");

        using var response = await sidecar.GetInboundAsync("/audited", hash: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, app.Requests);
        Assert.Equal(1, counter.Value);
        Assert.Equal(0, rejections.Value);
    }

    [Fact]
    public async Task Inbound_OffMode_PassesWithoutHash()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port, s => s with { HashPolicy = new HashPolicy { Mode = HashMode.Off } });

        using var response = await sidecar.GetInboundAsync("/free", hash: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Inbound_ExemptPrefix_PassesWithoutHash_OtherPathsStillEnforced()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port, s => s with { HashPolicy = new HashPolicy { ExemptPathPrefixes = ["/healthz"] } });

        using var exempt = await sidecar.GetInboundAsync("/healthz/deep", hash: null);
        using var prefixOnly = await sidecar.GetInboundAsync("/healthzX", hash: null);

        Assert.Equal(HttpStatusCode.OK, exempt.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, prefixOnly.StatusCode);
    }

    [Fact]
    public async Task Inbound_RotatedSet_AcceptsEveryAcceptedHash()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port, s => s with
        {
            HashPolicy = new HashPolicy { AcceptedHashes = [AcgsConstants.ConstitutionalHash, OtherHash] },
        });

        using var primary = await sidecar.GetInboundAsync("/a");
        using var rotated = await sidecar.GetInboundAsync("/b", OtherHash);

        Assert.Equal(HttpStatusCode.OK, primary.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
    }

    [Fact]
    public async Task Admin_NeverRequiresHash()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port);

        using var live = await sidecar.Client.GetAsync(new Uri(sidecar.Admin, "/health/live"));
        using var metrics = await sidecar.Client.GetAsync(new Uri(sidecar.Admin, "/metrics"));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }
}
