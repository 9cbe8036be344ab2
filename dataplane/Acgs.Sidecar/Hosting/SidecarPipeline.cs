// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Admin;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Faults;
using Acgs.Sidecar.Inbound;
using Acgs.Sidecar.Outbound;
using Acgs.Sidecar.HashEnforcement;
using Acgs.Sidecar.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Model;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// The request pipeline shared by the three listeners: (tracing, when on) → telemetry (and inbound metering, in its completion callback) → peer identity → hash enforcement → authorization → rate limit → the inbound
/// shortcut → routing. Routing keeps every endpoint on its own listener
/// (<see cref="ListenerMatcherPolicy"/>): the inbound catch-all route, the outbound Host routes
/// plus their no-route fallback, the admin endpoints. Inbound requests skip matching while the
/// inbound route is a bare catch-all (<see cref="InboundEndpoint"/>), and outbound requests for a host exactly one
/// host-only route answers (<see cref="OutboundEndpoints"/>).
/// </summary>
/// <remarks>
/// Per-request cost matters here (docs/architecture.md, hot-path rules), so the pipeline holds no step that does
/// nothing for the sidecar's config: WebApplication's implicit <c>UseAuthorization()</c> (YARP
/// registers authorization services; the sidecar has no authorization policy) is not added, and
/// YARP's passive health checks — an extra awaited step on every proxied request — run only for
/// clusters whose config enables them.
/// </remarks>
internal static class SidecarPipeline
{
    // WebApplication adds UseAuthorization() itself unless the application has set this property
    // (ASP.NET Core's WebApplicationBuilder.AuthorizationMiddlewareSetKey). Without it, every
    // request went through AuthorizationMiddleware: an async state machine and a policy lookup.
    private const string AuthorizationMiddlewareSetKey = "__AuthorizationMiddlewareSet";

    /// <summary>Configures <paramref name="app"/>.</summary>
    public static void Configure(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var telemetry = app.Services.GetRequiredService<TelemetryRegistry>();
        var inbound = app.Services.GetRequiredService<InboundEndpoint>();
        ((IApplicationBuilder)app).Properties[AuthorizationMiddlewareSetKey] = true;
        if (app.Services.GetService<Bus.BusRouter>() is { } router)
        {
            router.Authorization = app.Services.GetRequiredService<Authorization.BusAuthorization>(); // the bus obeys the same policies
        }

        Tracing.TracingMiddleware.UseIfEnabled(app); // the server span; not in the pipeline while tracing is off
        app.UseMiddleware<RequestTelemetryMiddleware>();
        AccessLog.AccessLogMiddleware.UseIfEnabled(app); // one line per request (sampled); not in the pipeline while off
        app.UseMiddleware<Identity.PeerIdentityMiddleware>();
        app.UseMiddleware<HashEnforcementMiddleware>();
        app.UseMiddleware<Authorization.AuthorizationMiddleware>(); // inbound: who may call this service
        app.UseMiddleware<RateLimiting.RateLimitMiddleware>(); // inbound: the service's local quota
        app.Use(inbound.Middleware);
        var outbound = app.Services.GetRequiredService<OutboundEndpoints>();
        app.Use(outbound.Middleware); // outbound: a host only one route answers skips the matcher
        app.UseRouting();

        AdminEndpoints.Map(app);
        app.MapReverseProxy(ConfigureProxyPipeline).ConfigureEndpoints((endpoint, route) =>
        {
            var kind = route.Metadata is not null
                && route.Metadata.TryGetValue(ProxyConfigBuilder.ListenerMetadataKey, out var listener)
                && listener == "outbound" ? ListenerKind.Outbound : ListenerKind.Inbound;
            endpoint.WithMetadata(ListenerMetadata.For(kind), telemetry.For(kind, route.ClusterId ?? TelemetryRegistry.NoCluster));
        });
        app.Map("{**catch-all}", OutboundRoutes.NoRouteAsync)
            .WithOrder(int.MaxValue)
            .WithMetadata(ListenerMetadata.Outbound);
        var all = new CompositeEndpointDataSource(((IEndpointRouteBuilder)app).DataSources);
        inbound.Watch(all);
        outbound.Watch(all);
    }

    /// <summary>
    /// YARP's proxy pipeline (between route/cluster selection and forwarding). Proxy steps of the
    /// sidecar's own (e.g. fault injection, <c>proxy.UseAcgsFaultInjection()</c>) go first, before
    /// session affinity and load balancing. Session affinity and load balancing return
    /// synchronously when they have nothing to do; passive health checks always await the
    /// forwarder, so they are branched in only for clusters that enable them.
    /// </summary>
    private static void ConfigureProxyPipeline(IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseAcgsFaultInjection();
        proxy.UseSessionAffinity();
        proxy.UseLoadBalancing();
        proxy.Use(next =>
        {
            var branch = new ProxyBranchBuilder(proxy.New());
            branch.UsePassiveHealthChecks();
            branch.Run(next);
            var withHealth = branch.Build();
            if (proxy.ApplicationServices.GetRequiredService<Config.SidecarOptions>().DirectForward)
            {
                // ACGS_DIRECT_FORWARD: eligible HTTP/1.1 requests over the sidecar's own pooled path, the rest to YARP's forwarder.
                var direct = proxy.ApplicationServices.GetRequiredService<Forwarding.Direct.DirectForwarder>();
                return context => PassiveHealthChecksEnabled(context) ? withHealth(context) : direct.InvokeAsync(context, next);
            }

            return context => PassiveHealthChecksEnabled(context) ? withHealth(context) : next(context);
        });
    }

    private static bool PassiveHealthChecksEnabled(HttpContext context) =>
        context.Features.Get<IReverseProxyFeature>()?.Cluster.Config.HealthCheck?.Passive?.Enabled == true;
}
