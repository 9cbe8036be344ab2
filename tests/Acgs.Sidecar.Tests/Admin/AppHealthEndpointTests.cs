// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net;
using Acgs.Sidecar.Admin;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Tests.Fixtures;

namespace Acgs.Sidecar.Tests.Admin;

/// <summary>The kubelet's rewritten probes: <c>/app-health/...</c> on a real sidecar's admin port calls the app's original probe.</summary>
public sealed class AppHealthEndpointTests
{
    private static string Probes(int appPort, int downPort) => string.Create(CultureInfo.InvariantCulture, $$"""
        {
          "/app-health/web/livez": {"port": {{appPort}}, "path": "/healthz", "timeout_seconds": 2, "headers": [{"name": "X-Probe", "value": "kubelet"}]},
          "/app-health/web/readyz": {"port": {{appPort}}, "path": "/status/503"},
          "/app-health/web/startupz": {"port": {{downPort}}, "path": "/"}
        }
        """);

    [Fact]
    public async Task AppHealth_RewrittenProbes_AnswerWithTheAppsStatus()
    {
        await using var app = await TestUpstream.StartAsync("app");
        Assert.True(AppHealthProbes.TryParse(Probes(app.Port, SidecarTestHost.FreePort()), out var probes));
        var bootstrap = new SidecarBootstrap(SidecarTestHost.Options(app.Port), SidecarTestHost.Snapshot(), ConfigSources.Bootstrap, HashOverrides.None) { AppProbes = probes };
        await using var sidecar = await SidecarTestHost.StartAsync(bootstrap);

        using var live = await sidecar.Client.GetAsync(new Uri(sidecar.Admin, "/app-health/web/livez"));
        using var ready = await sidecar.Client.GetAsync(new Uri(sidecar.Admin, "/app-health/web/readyz"));
        using var startup = await sidecar.Client.GetAsync(new Uri(sidecar.Admin, "/app-health/web/startupz"));
        using var unknown = await sidecar.Client.GetAsync(new Uri(sidecar.Admin, "/app-health/other/livez"));
        using var onInbound = await sidecar.Client.GetAsync(new Uri(sidecar.Inbound, "/app-health/web/livez"));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, startup.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, app.Requests); // live and ready reached the app; the inbound listener does not serve /app-health (hash enforced: 403)
        Assert.Equal(HttpStatusCode.Forbidden, onInbound.StatusCode);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"/healthz": {"port": 8080}}""")]
    [InlineData("""{"/app-health/web/livez": {"port": 0}}""")]
    [InlineData("""{"/app-health/web/livez": {"port": 8080, "path": "healthz"}}""")]
    [InlineData("""{"/app-health/web/livez": {"port": 8080, "bogus": 1}}""")]
    public void Load_InvalidAppProbes_OneLine(string value)
    {
        var result = BootstrapLoader.Load([], new Dictionary<string, string?> { ["ACGS_APP_PROBES"] = value });

        Assert.Null(result.Bootstrap);
        Assert.StartsWith("ACGS_APP_PROBES: must be a JSON object", Assert.Single(result.Errors), StringComparison.Ordinal);
    }
}
