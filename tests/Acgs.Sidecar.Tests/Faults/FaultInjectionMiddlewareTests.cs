// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.Contracts.Config;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Faults;
using Acgs.Sidecar.Telemetry;
using Acgs.Sidecar.Tests.Fixtures;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Yarp.ReverseProxy.Model;

namespace Acgs.Sidecar.Tests.Faults;

/// <summary>The fault step's cost when nothing is injected: no allocation, with or without rules.</summary>
public sealed class FaultInjectionMiddlewareTests
{
    private static async Task<(FaultInjectionMiddleware Step, ConfigApplier Applier)> CreateAsync(ConfigSnapshot snapshot, int[] calls)
    {
        var applier = new ConfigApplier(SidecarTestHost.Options(1), new NoYarpValidation(), new CircuitBreakerRegistry(), TimeProvider.System, NullLogger<ConfigApplier>.Instance);
        Assert.True((await applier.ApplyAsync(snapshot, "test")).Accepted);
        var step = new FaultInjectionMiddleware(_ => { calls[0]++; return Task.CompletedTask; }, applier, TimeProvider.System, new FaultRandom(new Random(1)), new FaultMetrics(new SidecarMetrics()));
        return (step, applier);
    }

    private static long Allocated(FaultInjectionMiddleware step, HttpContext context)
    {
        for (var i = 0; i < 1000; i++)
        {
            _ = step.InvokeAsync(context);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            _ = step.InvokeAsync(context);
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public async Task InvokeAsync_NoRules_CallsNextAllocatesNothing()
    {
        var calls = new int[1];
        var (step, applier) = await CreateAsync(SidecarTestHost.Snapshot(), calls);
        using var _ = applier;

        Assert.Equal(0, Allocated(step, new DefaultHttpContext()));
        Assert.Equal(2000, calls[0]);
    }

    [Fact]
    public async Task InvokeAsync_RulesForAnotherCluster_CallsNextAllocatesNothing()
    {
        var calls = new int[1];
        var snapshot = SidecarTestHost.Snapshot() with
        {
            Clusters = ImmutableDictionary<string, Contracts.Config.ClusterConfig>.Empty.Add("orders", new Contracts.Config.ClusterConfig { Destinations = ["127.0.0.1:1"] }),
            FaultRules = [new FaultRule { Cluster = "orders", Abort = new FaultAbort { HttpStatus = 503 } }],
        };
        var (step, applier) = await CreateAsync(snapshot, calls);
        using var _ = applier;

        Assert.Equal(0, Allocated(step, new DefaultHttpContext()));
        Assert.Equal(2000, calls[0]);
    }

    [Fact]
    public async Task InvokeAsync_RulesAppliedLater_StepFollowsApplier()
    {
        var calls = new int[1];
        var (step, applier) = await CreateAsync(SidecarTestHost.Snapshot(), calls);
        using var _ = applier;
        using var client = new HttpMessageInvoker(new SocketsHttpHandler());
        var cluster = new ClusterModel(new Yarp.ReverseProxy.Configuration.ClusterConfig { ClusterId = "inbound|svc-test" }, client);
        HttpContext Proxied()
        {
            var context = new DefaultHttpContext();
            context.Features.Set<IReverseProxyFeature>(new ReverseProxyFeature { Cluster = cluster });
            context.Response.Body = new MemoryStream();
            return context;
        }

        await step.InvokeAsync(Proxied());
        Assert.True((await applier.ApplyAsync(SidecarTestHost.Snapshot(version: "v2") with { FaultRules = [new FaultRule { Inbound = true, Abort = new FaultAbort { HttpStatus = 418 } }] }, "test")).Accepted);
        var aborted = Proxied();
        await step.InvokeAsync(aborted);
        Assert.True((await applier.ApplyAsync(SidecarTestHost.Snapshot(version: "v3"), "test")).Accepted);
        await step.InvokeAsync(Proxied());

        Assert.Equal(418, aborted.Response.StatusCode);
        Assert.Equal("abort", aborted.Response.Headers[FaultInjectionMiddleware.HeaderName].ToString());
        Assert.Equal(2, calls[0]);
    }
}
