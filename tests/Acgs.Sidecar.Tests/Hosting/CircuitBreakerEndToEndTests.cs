// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Sidecar.Tests.Fixtures;

namespace Acgs.Sidecar.Tests.Hosting;

public sealed class CircuitBreakerEndToEndTests
{
    [Fact]
    public async Task Inbound_FiveUpstreamFailures_NextRequestFailsFastWithoutReachingApp()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarTestHost.StartAsync(app.Port, service: "svc-breaker");
        for (var i = 0; i < 5; i++)
        {
            using var failing = await sidecar.GetInboundAsync("/status/503");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
        }

        Assert.Equal(5, app.Requests);

        using var response = await sidecar.GetInboundAsync("/ok");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("open", Assert.Single(response.Headers.GetValues("x-acgs-circuit")));
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(5, app.Requests);
        Assert.Contains("\"state\": \"open\"", await sidecar.AdminGetStringAsync("/breakers"), StringComparison.Ordinal);
    }
}
