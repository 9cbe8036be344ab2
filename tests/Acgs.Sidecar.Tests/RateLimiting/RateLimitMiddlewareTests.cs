// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Text.Json.Nodes;
using Acgs.Contracts.RateLimiting;
using Acgs.Sidecar.RateLimiting;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.Sidecar.Tests.RateLimiting;

/// <summary>A real sidecar with a <c>rate_limit</c>: 429 problem+json with Retry-After past the budget, counted; per tenant.</summary>
public sealed class RateLimitMiddlewareTests
{
    private static HttpRequestMessage Inbound(SidecarTestHost host, string? tenant)
    {
        var request = SidecarTestHost.Request(HttpMethod.Get, host.Inbound, "/api/entries");
        if (tenant is not null)
        {
            request.Headers.TryAddWithoutValidation(RateLimits.TenantHeader, tenant);
        }

        return request;
    }

    [Fact]
    public async Task Inbound_PastBurst_429ProblemWithRetryAfterAndCounted()
    {
        await using var app = await TestUpstream.StartAsync("app");
        var limit = new RateLimitConfig { Name = "ledger-limit", RequestsPerSecond = 0.01, Burst = 2 };
        await using var host = await SidecarTestHost.StartAsync(app.Port, s => s with { RateLimit = limit });
        var metrics = host.Host.Services.GetRequiredService<RateLimitMetrics>();

        using var first = await host.Client.SendAsync(Inbound(host, null));
        using var second = await host.Client.SendAsync(Inbound(host, null));
        using var limited = await host.Client.SendAsync(Inbound(host, null));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 99, 100); // one token per 100 s
        var problem = JsonNode.Parse(await limited.Content.ReadAsStringAsync())!;
        Assert.Equal(RateLimitMiddleware.ProblemType, (string?)problem["type"]);
        Assert.Equal(429, (int?)problem["status"]);
        Assert.Equal("ledger-limit", (string?)problem["policy"]);
        Assert.Equal(2, app.Requests);
        Assert.Equal(2, metrics.Allowed.Value);
        Assert.Equal(1, metrics.Limited.Value);
        var scrape = await host.AdminGetStringAsync("/metrics");
        Assert.Contains("acgs_ratelimit_decisions_total{result=\"limited\"} 1", scrape, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inbound_PerTenant_OneTenantSpentOthersServed()
    {
        await using var app = await TestUpstream.StartAsync("app");
        var limit = new RateLimitConfig { Name = "tenant-limit", RequestsPerSecond = 0.01, Burst = 1, Per = RateLimitKey.Tenant };
        await using var host = await SidecarTestHost.StartAsync(app.Port, s => s with { RateLimit = limit });

        using var a1 = await host.Client.SendAsync(Inbound(host, "tenant-a"));
        using var a2 = await host.Client.SendAsync(Inbound(host, "tenant-a"));
        using var b1 = await host.Client.SendAsync(Inbound(host, "tenant-b"));
        using var none = await host.Client.SendAsync(Inbound(host, null));

        Assert.Equal(HttpStatusCode.OK, a1.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, a2.StatusCode);
        Assert.Equal(HttpStatusCode.OK, b1.StatusCode);
        Assert.Equal(HttpStatusCode.OK, none.StatusCode);
    }

    [Fact]
    public async Task Outbound_InboundLimitSpent_NotLimited()
    {
        await using var app = await TestUpstream.StartAsync("app");
        var limit = new RateLimitConfig { Name = "l", RequestsPerSecond = 0.01, Burst = 1 };
        await using var host = await SidecarTestHost.StartAsync(app.Port, s => s with { RateLimit = limit });

        using var spent = await host.Client.SendAsync(Inbound(host, null));
        using var limited = await host.Client.SendAsync(Inbound(host, null));
        using var outbound = await host.Client.SendAsync(SidecarTestHost.Request(HttpMethod.Get, host.Outbound, "/x"));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, outbound.StatusCode); // no route: the outbound listener is never rate limited
    }
}
