// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.Contracts.Config;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Sidecar.TrafficSplit;
using Acgs.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Model;

namespace Acgs.Sidecar.Tests.TrafficSplit;

/// <summary>Weighted blue/green routes and path-prefix routes through a real sidecar and real upstreams.</summary>
public sealed class TrafficSplitEndToEndTests
{
    private static ConfigSnapshot Split(TestUpstream blue, TestUpstream green, TestUpstream v2, int blueWeight, int greenWeight) => SidecarTestHost.Snapshot() with
    {
        Clusters = ImmutableDictionary<string, ClusterConfig>.Empty
            .Add("orders-blue", new ClusterConfig { Destinations = [$"127.0.0.1:{blue.Port}"] })
            .Add("orders-green", new ClusterConfig { Destinations = [$"127.0.0.1:{green.Port}"] })
            .Add("orders-v2", new ClusterConfig { Destinations = [$"127.0.0.1:{v2.Port}"] }),
        Routes =
        [
            new OutboundRoute
            {
                Host = "orders",
                Cluster = "orders-blue",
                WeightedClusters = [new WeightedCluster { Cluster = "orders-blue", Weight = blueWeight }, new WeightedCluster { Cluster = "orders-green", Weight = greenWeight }],
            },
            new OutboundRoute { Host = "orders", PathPrefix = "/v2", Cluster = "orders-v2" },
        ],
    };

    /// <summary>True once every proxy endpoint carries one of <paramref name="routes"/> (YARP applied them).</summary>
    private static bool Serving(EndpointDataSource endpoints, IReadOnlyList<Yarp.ReverseProxy.Configuration.RouteConfig> routes)
    {
        foreach (var endpoint in endpoints.Endpoints)
        {
            if (endpoint.Metadata.GetMetadata<RouteModel>()?.Config is { } config && !routes.Contains(config))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<SidecarHost> StartAsync(int appPort, ConfigSnapshot snapshot, Random? random)
    {
        var bootstrap = new SidecarBootstrap(SidecarTestHost.Options(appPort), snapshot, ConfigSources.Bootstrap, HashOverrides.None);
        var host = await SidecarHost.CreateAsync(bootstrap, b =>
        {
            b.Logging.SetMinimumLevel(LogLevel.Warning);
            if (random is not null)
            {
                b.Services.AddAcgsTrafficSplit(random);
            }
            else
            {
                // Also when the sidecar's own registration adds the policy: take it out again.
                b.Services.RemoveAll<TrafficSplitMatcherPolicy>();
                for (var i = b.Services.Count - 1; i >= 0; i--)
                {
                    if (b.Services[i].ServiceType == typeof(MatcherPolicy) && b.Services[i].ImplementationFactory?.Method.ReturnType == typeof(TrafficSplitMatcherPolicy))
                    {
                        b.Services.RemoveAt(i);
                    }
                }
            }
        });
        Assert.True(host.InitialApply.Accepted, string.Join("; ", host.InitialApply.Errors));
        await host.StartAsync();
        return host;
    }

    private static async Task<string> GetAsync(HttpClient client, int port, string path)
    {
        using var request = SidecarTestHost.Request(HttpMethod.Get, new Uri($"http://127.0.0.1:{port}/"), path);
        request.Headers.Host = "orders";
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Split_SeededRandom_EachRequestGoesWhereTheDrawSays()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var blue = await TestUpstream.StartAsync("blue");
        await using var green = await TestUpstream.StartAsync("green");
        await using var v2 = await TestUpstream.StartAsync("v2");
        var host = await StartAsync(app.Port, Split(blue, green, v2, 70, 30), new Random(1234));
        await using var _ = host;
        using var client = new HttpClient();
        var replay = new Random(1234);

        for (var i = 0; i < 200; i++)
        {
            var expected = replay.Next(100) < 70 ? "blue" : "green";
            Assert.StartsWith(expected + ":/item/" + i, await GetAsync(client, host.OutboundPort, "/item/" + i), StringComparison.Ordinal);
        }

        Assert.Equal(200, blue.Requests + green.Requests);
        Assert.InRange(green.Requests, 30, 90);
        Assert.Equal(0, v2.Requests);
    }

    [Fact]
    public async Task PathPrefixRoute_WinsOverSplitCatchAll()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var blue = await TestUpstream.StartAsync("blue");
        await using var green = await TestUpstream.StartAsync("green");
        await using var v2 = await TestUpstream.StartAsync("v2");
        var host = await StartAsync(app.Port, Split(blue, green, v2, 50, 50), new Random(5));
        await using var _ = host;
        using var client = new HttpClient();

        Assert.Equal("v2:/v2:HTTP/1.1", await GetAsync(client, host.OutboundPort, "/v2"));
        Assert.Equal("v2:/V2/orders/1:HTTP/1.1", await GetAsync(client, host.OutboundPort, "/V2/orders/1"));
        Assert.DoesNotContain("v2:", await GetAsync(client, host.OutboundPort, "/v2x"), StringComparison.Ordinal);
        Assert.Equal(2, v2.Requests);
    }

    [Fact]
    public async Task Split_GreenAtHundred_AllToGreenAfterReapply()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var blue = await TestUpstream.StartAsync("blue");
        await using var green = await TestUpstream.StartAsync("green");
        await using var v2 = await TestUpstream.StartAsync("v2");
        var host = await StartAsync(app.Port, Split(blue, green, v2, 100, 0), new Random(9));
        await using var _ = host;
        using var client = new HttpClient();

        for (var i = 0; i < 10; i++)
        {
            await GetAsync(client, host.OutboundPort, "/a");
        }

        var applier = (ConfigApplier)host.Services.GetService(typeof(ConfigApplier))!;
        Assert.True((await applier.ApplyAsync(Split(blue, green, v2, 0, 100) with { Version = "v2" }, "test")).Accepted);
        var routes = applier.GetConfig().Routes;
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>();
        await Eventually.TrueAsync(() => Serving(endpoints, routes)); // YARP rebuilds its endpoints on the change token
        for (var i = 0; i < 10; i++)
        {
            await GetAsync(client, host.OutboundPort, "/b");
        }

        Assert.Equal(10, blue.Requests);
        Assert.Equal(10, green.Requests);
    }

    [Fact]
    public async Task Split_PolicyNotRegistered_AllToPrimaryNoAmbiguity()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var blue = await TestUpstream.StartAsync("blue");
        await using var green = await TestUpstream.StartAsync("green");
        await using var v2 = await TestUpstream.StartAsync("v2");
        var host = await StartAsync(app.Port, Split(blue, green, v2, 50, 50), random: null);
        await using var _ = host;
        using var client = new HttpClient();

        for (var i = 0; i < 20; i++)
        {
            Assert.StartsWith("blue:", await GetAsync(client, host.OutboundPort, "/p"), StringComparison.Ordinal);
        }

        Assert.Equal(0, green.Requests);
    }
}
