// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.Contracts.Config;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Hosting;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.Benchmarks.Sidecar;

/// <summary>
/// The outbound Host match of a started sidecar (namespace <c>shop</c>, 50 service routes), for a request arriving on
/// the outbound port with the service named in each Kubernetes DNS form (with and without a port): the sidecar's own
/// selection — <see cref="Acgs.Sidecar.Outbound.OutboundEndpoints"/>, then endpoint routing over its route table and
/// matcher policies for what the shortcut leaves to it. <see cref="Match"/> is the sidecar's path (expected 0 B: every
/// form here is a host-only route); <see cref="MatcherOnly"/> is ASP.NET Core's matcher alone, for comparison. The
/// numbers go into generated BenchmarkDotNet reports, not here.
/// </summary>
[MemoryDiagnoser]
public class OutboundHostMatchBenchmarks
{
    private SidecarHost? _host;
    private RequestDelegate? _routing;
    private RequestDelegate? _matcher;
    private DefaultHttpContext? _context;

    /// <summary>The Host header of the measured request.</summary>
    [Params("orders-7", "orders-7:8080", "orders-7.shop", "orders-7.shop.svc", "orders-7.shop.svc.cluster.local:8080")]
    public string Host { get; set; } = "orders-7";

    [GlobalSetup]
    public void Setup()
    {
        var options = new SidecarOptions
        {
            ServiceName = "svc-bench", NodeId = "bench", Namespace = "shop", AppPort = 8081,
            InboundAddress = "127.0.0.1", InboundPort = 0, OutboundPort = 0, AdminPort = 0,
        };
        var clusters = ImmutableDictionary.CreateBuilder<string, ClusterConfig>();
        var routes = ImmutableArray.CreateBuilder<OutboundRoute>();
        for (var i = 0; i < 50; i++)
        {
            var name = "orders-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            clusters.Add(name, new ClusterConfig { Destinations = ["127.0.0.1:9"] });
            routes.Add(new OutboundRoute { Host = name, Cluster = name });
        }

        var snapshot = new ConfigSnapshot { Version = "bench", ServiceName = "svc-bench", Clusters = clusters.ToImmutable(), Routes = routes.ToImmutable() };
        _host = SidecarHost.CreateAsync(new SidecarBootstrap(options, snapshot, ConfigSources.Bootstrap, HashOverrides.None)).GetAwaiter().GetResult();
        _host.StartAsync().GetAwaiter().GetResult();

        // Routing only: the matcher picks the endpoint, then the pipeline stops (nothing is forwarded).
        // The sidecar's own data sources (YARP's routes, the admin endpoints), as its WebApplication hands them to UseRouting.
        _routing = Pipeline(withShortcut: true);
        _matcher = Pipeline(withShortcut: false);
        _context = new DefaultHttpContext();
        _context.Connection.LocalPort = _host.OutboundPort;
        _context.Request.Method = HttpMethods.Get;
        _context.Request.Scheme = "http";
        _context.Request.Path = "/items";
        _context.Request.Host = new HostString(Host);
        MatcherOnly().GetAwaiter().GetResult(); // features and the matcher are created once, outside the measurement
        Match().GetAwaiter().GetResult();
        if (_context.GetEndpoint()?.DisplayName is not { } matched || !matched.Contains("orders-7", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Host {Host} did not match the route of orders-7 (matched: {_context.GetEndpoint()?.DisplayName ?? "nothing"})");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _host?.StopAsync().GetAwaiter().GetResult();
        _host?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>An endpoint route builder over given data sources.</summary>
    private sealed class RouteBuilder(IApplicationBuilder app, List<EndpointDataSource> sources) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider => app.ApplicationServices;

        public ICollection<EndpointDataSource> DataSources => sources;

        public IApplicationBuilder CreateApplicationBuilder() => app.New();
    }

    /// <summary>One outbound Host match as the sidecar does it (shortcut, then routing for what it leaves).</summary>
    [Benchmark(Baseline = true)]
    public Task Match()
    {
        var context = _context!;
        context.SetEndpoint(null);
        return _routing!(context);
    }

    /// <summary>The same match by ASP.NET Core's endpoint routing alone.</summary>
    [Benchmark]
    public Task MatcherOnly()
    {
        var context = _context!;
        context.SetEndpoint(null);
        return _matcher!(context);
    }

    private RequestDelegate Pipeline(bool withShortcut)
    {
        var app = new ApplicationBuilder(_host!.Services);
        var sources = (CompositeEndpointDataSource)_host.Services.GetRequiredService<EndpointDataSource>();
        app.Properties["__GlobalEndpointRouteBuilder"] = new RouteBuilder(app, [.. sources.DataSources]);
        if (withShortcut)
        {
            app.Use(_host.Services.GetRequiredService<Acgs.Sidecar.Outbound.OutboundEndpoints>().Middleware);
        }

        app.UseRouting();
        app.Run(static _ => Task.CompletedTask);
        return app.Build();
    }
}
