// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Admin;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Outbound;
using Acgs.Sidecar.Policy;
using Acgs.Sidecar.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// The request pipeline shared by the three listeners: telemetry → hash enforcement → routing.
/// Routing keeps every endpoint on its own listener (<see cref="ListenerMatcherPolicy"/>): the
/// inbound catch-all route, the outbound Host routes plus their no-route fallback, the admin endpoints.
/// </summary>
internal static class SidecarPipeline
{
    /// <summary>Configures <paramref name="app"/>.</summary>
    public static void Configure(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var telemetry = app.Services.GetRequiredService<TelemetryRegistry>();
        app.UseMiddleware<RequestTelemetryMiddleware>();
        app.UseMiddleware<HashEnforcementMiddleware>();
        app.UseRouting();

        AdminEndpoints.Map(app);
        app.MapReverseProxy().ConfigureEndpoints((endpoint, route) =>
        {
            var kind = route.Metadata is not null
                && route.Metadata.TryGetValue(ProxyConfigBuilder.ListenerMetadataKey, out var listener)
                && listener == "outbound" ? ListenerKind.Outbound : ListenerKind.Inbound;
            endpoint.WithMetadata(ListenerMetadata.For(kind), telemetry.For(kind, route.ClusterId ?? TelemetryRegistry.NoCluster));
        });
        app.Map("{**catch-all}", OutboundRoutes.NoRouteAsync)
            .WithOrder(int.MaxValue)
            .WithMetadata(ListenerMetadata.Outbound);
    }
}
