// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Resilience;
using Acgs.Sidecar.Telemetry;
using Acgs.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Acgs.Sidecar.Tests.Resilience;

/// <summary>The resilience layer registered in a real YARP proxy on Kestrel, in front of a real upstream.</summary>
public sealed class YarpResilienceTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AddAcgsResilience_BeforeOrAfterAddReverseProxy_ReplacesYarpFactory(bool afterYarp)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        if (!afterYarp)
        {
            services.AddAcgsResilience();
        }

        services.AddReverseProxy();
        if (afterYarp)
        {
            services.AddAcgsResilience();
        }

        using var provider = services.BuildServiceProvider();
        Assert.IsType<ResilienceForwarderHttpClientFactory>(provider.GetRequiredService<IForwarderHttpClientFactory>());
        Assert.Single(provider.GetServices<IForwarderHttpClientFactory>());
        Assert.IsType<DefaultClusterResilienceSource>(provider.GetRequiredService<IClusterResilienceSource>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.Equal(2, provider.GetServices<ICircuitBreakerListener>().Count());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Proxy_UpstreamFails_ClientGetsCircuitOpenFromYarpAndUpstreamSeesNothing(bool tracked)
    {
        await using var upstream = await TestUpstream.StartAsync();
        var cluster = ResilienceHarness.NewCluster("yarp");
        var time = new FakeTimeProvider();
        var source = new MutableResilienceSource();
        source.Set(cluster, ResilienceHarness.Breaker(failMax: 2) with { Timeout = TimeSpan.FromSeconds(5) });
        await using var proxy = await StartProxyAsync(cluster, upstream.BaseUri, time, source, tracked);
        using var client = new HttpClient { BaseAddress = proxy.Address };

        upstream.Respond(503);
        using (var first = await client.GetAsync(new Uri("api", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
            Assert.False(first.Headers.Contains("x-acgs-circuit"));
        }

        using (var tripping = await client.GetAsync(new Uri("api", UriKind.Relative)))
        {
            Assert.Equal("open", Assert.Single(tripping.Headers.GetValues("x-acgs-circuit")));
        }

        using var rejected = await client.GetAsync(new Uri("api", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, rejected.StatusCode);
        Assert.Equal("open", Assert.Single(rejected.Headers.GetValues("x-acgs-circuit")));
        Assert.Equal(TimeSpan.FromSeconds(30), rejected.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType?.MediaType);
        Assert.Contains("urn:acgs:circuit-open", await rejected.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, upstream.RequestCount);
        Assert.Equal(tracked ? 2 : 0, await proxy.TrackedCountAfterAsync(requests: 3));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Proxy_UpstreamTooSlow_ClientGets504(bool tracked)
    {
        await using var upstream = await TestUpstream.StartAsync();
        var cluster = ResilienceHarness.NewCluster("yarp-timeout");
        var time = new FakeTimeProvider();
        var source = new MutableResilienceSource();
        source.Set(cluster, ResilienceHarness.Breaker(failMax: 5) with { Timeout = TimeSpan.FromSeconds(3) });
        await using var proxy = await StartProxyAsync(cluster, upstream.BaseUri, time, source, tracked);
        using var client = new HttpClient { BaseAddress = proxy.Address };
        upstream.Stall();

        var call = client.GetAsync(new Uri("api", UriKind.Relative));
        await upstream.WaitForRequestsAsync(1);
        time.Advance(TimeSpan.FromSeconds(3));

        using var response = await call;
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal(1, proxy.Services.GetRequiredService<CircuitBreakerRegistry>().Get(cluster).ConsecutiveFailures);
        Assert.Equal(tracked ? 1 : 0, await proxy.TrackedCountAfterAsync(requests: 1));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Proxy_UpstreamUnreachable_TrippingCallAnswersCircuitOpen(bool tracked)
    {
        var cluster = ResilienceHarness.NewCluster("yarp-down");
        var source = new MutableResilienceSource();
        source.Set(cluster, ResilienceHarness.Breaker(failMax: 2) with { Timeout = TimeSpan.FromSeconds(5) });
        await using var proxy = await StartProxyAsync(cluster, TestUpstream.UnusedLoopbackUri(), new FakeTimeProvider(), source, tracked);
        using var client = new HttpClient { BaseAddress = proxy.Address };

        using (var first = await client.GetAsync(new Uri("api", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.BadGateway, first.StatusCode);
            Assert.False(first.Headers.Contains("x-acgs-circuit"));
        }

        using var tripping = await client.GetAsync(new Uri("api", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, tripping.StatusCode);
        Assert.Equal("open", Assert.Single(tripping.Headers.GetValues("x-acgs-circuit")));
        Assert.Equal(TimeSpan.FromSeconds(30), tripping.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", tripping.Content.Headers.ContentType?.MediaType);
        Assert.Contains("urn:acgs:circuit-open", await tripping.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(CircuitState.Open, proxy.Services.GetRequiredService<CircuitBreakerRegistry>().Get(cluster).State);
        Assert.Equal(tracked ? 2 : 0, await proxy.TrackedCountAfterAsync(requests: 2));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Proxy_HalfOpenTrialSucceeds_BreakerClosesAndNextCallsPass(bool tracked)
    {
        await using var upstream = await TestUpstream.StartAsync();
        var cluster = ResilienceHarness.NewCluster("yarp-trial");
        var time = new FakeTimeProvider();
        var source = new MutableResilienceSource();
        source.Set(cluster, ResilienceHarness.Breaker(failMax: 1, resetSeconds: 10) with { Timeout = TimeSpan.FromSeconds(5) });
        await using var proxy = await StartProxyAsync(cluster, upstream.BaseUri, time, source, tracked);
        using var client = new HttpClient { BaseAddress = proxy.Address };
        var breaker = proxy.Services.GetRequiredService<CircuitBreakerRegistry>().Get(cluster);

        upstream.Respond(502);
        using (var tripping = await client.GetAsync(new Uri("api", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, tripping.StatusCode);
            Assert.Equal("open", Assert.Single(tripping.Headers.GetValues("x-acgs-circuit")));
        }

        Assert.Equal(CircuitState.Open, breaker.State);
        time.Advance(TimeSpan.FromSeconds(10));
        upstream.Respond(404); // excluded: counts as success
        using (var trial = await client.GetAsync(new Uri("api", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, trial.StatusCode);
        }

        Assert.Equal(CircuitState.Closed, breaker.State);
        upstream.Respond(200);
        using var next = await client.GetAsync(new Uri("api", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(3, upstream.RequestCount);
        Assert.Equal(tracked ? 3 : 0, await proxy.TrackedCountAfterAsync(requests: 3));
    }

    // tracked: the sidecar's proxy-timing transforms and a per-request RequestTiming feature (what the
    // telemetry middleware provides), so clusters without retries take the handler's tracked path.
    private static async Task<ProxyHost> StartProxyAsync(string cluster, Uri upstream, TimeProvider time, IClusterResilienceSource source, bool tracked = false)
    {
        var host = new ProxyHost { IsTracked = tracked };
        host.Server = await KestrelTestServer.StartAsync(
            app =>
            {
                if (tracked)
                {
                    app.Use(async (context, next) =>
                    {
                        var timing = new RequestTiming();
                        context.Features.Set(timing);
                        try
                        {
                            await next(context);
                        }
                        finally
                        {
                            Assert.False(timing.Call.IsPending); // completed by the response transform, not by the safety net
                            Interlocked.Add(ref host.Tracked, timing.Call.TrackedCount);
                            timing.Clear();
                            host.Completed.Release();
                        }
                    });
                }

                app.MapReverseProxy();
            },
            services: builder =>
            {
                builder.Services.AddSingleton(time);
                builder.Services.AddSingleton(source);
                var proxyBuilder = builder.Services.AddReverseProxy().LoadFromMemory(
                    [new RouteConfig { RouteId = "all", ClusterId = cluster, Match = new RouteMatch { Path = "{**catch-all}" } }],
                    [new ClusterConfig { ClusterId = cluster, Destinations = new Dictionary<string, DestinationConfig> { ["d1"] = new() { Address = upstream.ToString() } } }]);
                if (tracked)
                {
                    proxyBuilder.AddTransforms(ProxyTimingTransforms.Apply);
                }

                builder.Services.AddAcgsResilience();
            });
        return host;
    }

    private sealed class ProxyHost : IAsyncDisposable
    {
#pragma warning disable SA1401 // Test plumbing: counted with Interlocked.
        public long Tracked;
#pragma warning restore SA1401

        /// <summary>Released once per request after its tracked attempts were added (tracked mode only).</summary>
        public SemaphoreSlim Completed { get; } = new(0);

        public KestrelTestServer Server { get; set; } = null!;

        public Uri Address => Server.BaseUri;

        public bool IsTracked { get; set; }

        /// <summary>
        /// Upstream attempts that took the handler's tracked path, read once the middleware of each of the
        /// <paramref name="requests"/> requests has finished: the client can read a response before the
        /// server's middleware leaves its <c>finally</c>.
        /// </summary>
        public async Task<long> TrackedCountAfterAsync(int requests)
        {
            if (IsTracked)
            {
                for (var i = 0; i < requests; i++)
                {
                    Assert.True(await Completed.WaitAsync(TimeSpan.FromSeconds(10)), "a request's middleware did not finish");
                }
            }

            return Interlocked.Read(ref Tracked);
        }

        public IServiceProvider Services => Server.Services;

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            Completed.Dispose();
        }
    }
}
