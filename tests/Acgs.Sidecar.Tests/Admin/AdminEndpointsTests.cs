// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Text.Json;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Admin;

public sealed class AdminEndpointsTests
{
    [Fact]
    public async Task Ready_AppDown_Is503ThenTurns200WhenAppStarts()
    {
        var port = SidecarTestHost.FreePort();
        await using var sidecar = await SidecarTestHost.StartAsync(port);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, await sidecar.WaitForAdminStatusAsync("/health/ready", HttpStatusCode.ServiceUnavailable));
        using (var response = await sidecar.Client.GetAsync(new Uri(sidecar.Admin, "/health/ready")))
        {
            Assert.Contains("local app is not reachable", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await using var app = await TestUpstream.StartAsync("app", port);
        Assert.Equal(HttpStatusCode.OK, await sidecar.WaitForAdminStatusAsync("/health/ready", HttpStatusCode.OK));
    }

    [Fact]
    public async Task Ready_AppStops_TurnsFalse()
    {
        var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port);
        Assert.Equal(HttpStatusCode.OK, await sidecar.WaitForAdminStatusAsync("/health/ready", HttpStatusCode.OK));

        await app.DisposeAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, await sidecar.WaitForAdminStatusAsync("/health/ready", HttpStatusCode.ServiceUnavailable));
    }

    [Fact]
    public async Task LiveAndStartup_AfterStart_Are200()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port);

        Assert.Equal(HttpStatusCode.OK, await sidecar.WaitForAdminStatusAsync("/health/live", HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.OK, await sidecar.WaitForAdminStatusAsync("/health/startup", HttpStatusCode.OK));
    }

    [Fact]
    public async Task ConfigDump_ShowsVersionSourceAndSnapshot()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port);

        using var doc = JsonDocument.Parse(await sidecar.AdminGetStringAsync("/config_dump"));

        Assert.Equal("v1", doc.RootElement.GetProperty("version").GetString());
        Assert.Equal("bootstrap", doc.RootElement.GetProperty("source").GetString());
        Assert.Equal("svc-test", doc.RootElement.GetProperty("snapshot").GetProperty("service_name").GetString());
        Assert.Equal($"127.0.0.1:{sidecar.Host.InboundPort}", doc.RootElement.GetProperty("listeners").GetProperty("inbound").GetString());
    }

    [Fact]
    public async Task Metrics_AfterTraffic_ContainCounters()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port, service: "svc-metrics");
        (await sidecar.GetInboundAsync("/ok")).Dispose();
        (await sidecar.GetInboundAsync("/status/404")).Dispose();
        (await sidecar.GetInboundAsync("/nohash", hash: null)).Dispose();

        // Requests are counted when their response completes (a completion callback), which may be
        // just after the client has read the response: wait for the last one. The sidecar's registry
        // is its own, so the values are exact.
        var text = await Eventually.ValueAsync(
            () => sidecar.AdminGetStringAsync("/metrics"),
            t => t.Contains("acgs_requests_total{listener=\"inbound\",cluster=\"none\",code=\"403\"} 1", StringComparison.Ordinal));

        Assert.Contains("acgs_requests_total{listener=\"inbound\",cluster=\"inbound|svc-metrics\",code=\"200\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("acgs_requests_total{listener=\"inbound\",cluster=\"inbound|svc-metrics\",code=\"404\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("acgs_requests_total{listener=\"inbound\",cluster=\"none\",code=\"403\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("acgs_hash_rejections_total{listener=\"inbound\",reason=\"missing\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("acgs_request_duration_seconds_bucket{listener=\"inbound\"", text, StringComparison.Ordinal);
        Assert.Contains("acgs_config_rejections_total", text, StringComparison.Ordinal);
        Assert.Contains("acgs_build_info{version=", text, StringComparison.Ordinal);
        Assert.Contains("acgs_circuit_state{cluster=\"inbound|svc-metrics\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("acgs_config_applies_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("process_cpu_seconds_total", text, StringComparison.Ordinal); // the runtime's collectors are in this registry too
    }

    [Fact]
    public async Task Breakers_ListsInboundBreaker()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port);
        (await sidecar.GetInboundAsync("/ok")).Dispose();

        using var doc = JsonDocument.Parse(await sidecar.AdminGetStringAsync("/breakers"));
        var breaker = doc.RootElement.GetProperty("breakers")[0];

        Assert.Equal("inbound|svc-test", breaker.GetProperty("name").GetString());
        Assert.Equal("closed", breaker.GetProperty("state").GetString());
        Assert.Equal(5, breaker.GetProperty("options").GetProperty("fail_max").GetInt32());
    }

    [Fact]
    public async Task LatencyStats_CountProxiedRequests_AndReset()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port);
        for (var i = 0; i < 3; i++)
        {
            (await sidecar.GetInboundAsync("/ok")).Dispose();
        }

        var latency = await Eventually.ValueAsync(
            () => sidecar.AdminGetStringAsync("/stats/latency"),
            t =>
            {
                using var d = JsonDocument.Parse(t);
                return d.RootElement.GetProperty("count").GetInt64() >= 3;
            });
        using (var doc = JsonDocument.Parse(latency))
        {
            Assert.Equal(3, doc.RootElement.GetProperty("count").GetInt64());
            Assert.Equal(3, doc.RootElement.GetProperty("downstream").GetProperty("count").GetInt64());
            Assert.True(doc.RootElement.GetProperty("downstream").GetProperty("max_us").GetInt64() >= doc.RootElement.GetProperty("p50_us").GetInt64());
        }

        using var reset = await sidecar.AdminPostAsync("/stats/latency/reset");
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        using var after = JsonDocument.Parse(await sidecar.AdminGetStringAsync("/stats/latency"));
        Assert.Equal(0, after.RootElement.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Drain_LetsInFlightRequestFinish_ThenStops()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port);
        Assert.Equal(HttpStatusCode.OK, await sidecar.WaitForAdminStatusAsync("/health/ready", HttpStatusCode.OK));

        var slow = sidecar.GetInboundAsync("/slow?ms=1500");
        await app.SlowRequestArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using (var drain = await sidecar.AdminPostAsync("/drain"))
        {
            Assert.Equal(HttpStatusCode.Accepted, drain.StatusCode);
        }

        using var response = await slow;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("app:/slow:HTTP/1.1", await response.Content.ReadAsStringAsync());
        await sidecar.Host.WaitForShutdownAsync().WaitAsync(TimeSpan.FromSeconds(15));
        using var fresh = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => fresh.GetAsync(sidecar.Inbound));
    }

    [Theory]
    [InlineData(null, null, null, HttpStatusCode.Unauthorized)]
    [InlineData("Bearer wrong-token-0123456789", null, null, HttpStatusCode.Unauthorized)]
    [InlineData("Bearer " + SidecarTestHost.AdminTokenValue, "https://evil.example", null, HttpStatusCode.Forbidden)]
    [InlineData("Bearer " + SidecarTestHost.AdminTokenValue, null, "cross-site", HttpStatusCode.Forbidden)]
    public async Task Drain_WithoutTokenOrCrossSite_RefusedAndKeepsServing(string? authorization, string? origin, string? fetchSite, HttpStatusCode expected)
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port);
        Assert.Equal(HttpStatusCode.OK, await sidecar.WaitForAdminStatusAsync("/health/ready", HttpStatusCode.OK));

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(sidecar.Admin, "/drain"));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", fetchSite);
        }

        using var drain = await sidecar.Client.SendAsync(request);

        Assert.Equal(expected, drain.StatusCode);
        Assert.Equal("application/problem+json", drain.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(SidecarTestHost.AdminTokenValue, await drain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await sidecar.GetInboundAsync("/still-serving")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await sidecar.WaitForAdminStatusAsync("/health/ready", HttpStatusCode.OK));
    }

    [Fact]
    public async Task Drain_GetInsteadOfPost_NotAllowed()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port);

        using var drain = await sidecar.Client.GetAsync(new Uri(sidecar.Admin, "/drain"));

        Assert.Contains(drain.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
        Assert.Equal(HttpStatusCode.OK, await sidecar.WaitForAdminStatusAsync("/health/ready", HttpStatusCode.OK));
    }
}
