// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Admin;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.ControlPlaneClient;
using Acgs.Sidecar.Faults;
using Acgs.Sidecar.Identity;
using Acgs.Sidecar.Inbound;
using Acgs.Sidecar.Resilience;
using Acgs.Sidecar.Telemetry;
using Acgs.Sidecar.TrafficSplit;
using Acgs.Sidecar.Transparent;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Yarp.ReverseProxy.Configuration;

namespace Acgs.Sidecar.Hosting;

/// <summary>Registers the sidecar's services.</summary>
internal static class SidecarServiceCollectionExtensions
{
    /// <summary>Adds YARP, the resilience handler, the config apply path, health, drain and telemetry.</summary>
    public static IServiceCollection AddAcgsSidecar(this IServiceCollection services, SidecarBootstrap bootstrap, ListenerPorts ports)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(bootstrap);
        services.AddSingleton(bootstrap);
        services.AddSingleton(bootstrap.Options);
        services.AddSingleton(ports);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SidecarMetrics>(); // this host's registry: the admin /metrics serves it
        services.AddSingleton(static sp =>
        {
            var metrics = sp.GetRequiredService<SidecarMetrics>();
            return new Acgs.Telemetry.RuntimeMetricAdapters(metrics.Registry, metrics.Factory);
        });
        services.AddSingleton<FaultMetrics>();
        services.AddSingleton<TransparentMetrics>();
        services.AddSingleton<Authorization.AuthorizationMetrics>();
        services.AddSingleton<RateLimiting.RateLimitMetrics>();
        services.AddSingleton<Authorization.AuthorizationLog>();
        services.AddSingleton(static sp => new Authorization.BusAuthorization(sp.GetRequiredService<ConfigApplier>(), sp.GetRequiredService<Config.SidecarOptions>(),
            sp.GetRequiredService<Authorization.AuthorizationLog>(), sp.GetService<WorkloadIdentity>()));
        services.AddSingleton(bootstrap.Limits);
        services.AddSingleton(bootstrap.AdminToken);
        services.AddSingleton(bootstrap.AppProbes);
        services.AddSingleton<Admin.AppHealthClient>();
        services.AddSingleton<ConnectionMetrics>();
        services.AddSingleton<ClientFaultLog>();

        // X-Forwarded-* set by the sidecar unless ACGS_X_FORWARDED=false: then the caller's go on unchanged and nothing is
        // added (no header value, no growth of the upstream request's header store per request).
        var xForwarded = bootstrap.Options.XForwarded;
        var meshHop = bootstrap.Options.MeshHop;
        services.AddReverseProxy().AddTransforms(context =>
        {
            context.UseDefaultForwarders ??= xForwarded; // a route's own X-Forwarded transform (none today) would decide itself
            Outbound.MeshHopTransform.Apply(context, meshHop); // before the timing transforms, which must run last
            ProxyTimingTransforms.Apply(context);
        });
        // Data protection (registered by YARP) keeps its keys in memory: nothing written under $HOME, no key on disk.
        services.Configure<KeyManagementOptions>(static o =>
        {
            o.XmlRepository = new InMemoryKeyRepository();
            o.XmlEncryptor = new NullXmlEncryptor(); // in memory only: nothing to encrypt at rest
        });
        services.AddSingleton(static sp => new Forwarding.Direct.DirectForwarder(
            sp.GetRequiredService<Yarp.ReverseProxy.Forwarder.IForwarderHttpClientFactory>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ListenerLimits>(), sp.GetRequiredService<Config.SidecarOptions>())); // ACGS_DIRECT_FORWARD's path, used only when on
        services.AddAcgsResilience(); // replaces YARP's IForwarderHttpClientFactory with the breaker/timeout/retry one
        services.RemoveAll<IClusterResilienceSource>();
        services.AddSingleton<IClusterResilienceSource, SnapshotClusterResilienceSource>();

        services.AddAcgsTrafficSplit();
        services.AddSingleton<ConfigApplier>();
        services.AddSingleton<IProxyConfigProvider>(static sp => sp.GetRequiredService<ConfigApplier>());
        services.AddSingleton<ConfigFileWatcher>();
        services.AddHostedService(static sp => sp.GetRequiredService<ConfigFileWatcher>());
        services.AddAcgsControlPlaneClient(Environment.GetEnvironmentVariable); // no-op unless ACGS_CONTROL_PLANE_URL is set
        Metering.MeteringServiceCollectionExtensions.AddAcgsMetering(services, Environment.GetEnvironmentVariable); // usage recorder; its shipper with the client
        services.AddAcgsIdentity(Environment.GetEnvironmentVariable); // workload certificate when a bootstrap credential is set

        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, ListenerMatcherPolicy>());
        services.AddSingleton<HealthState>();
        services.AddSingleton<DrainCoordinator>();
        services.AddSingleton<AppReachabilityProbe>();
        services.AddHostedService(static sp => sp.GetRequiredService<AppReachabilityProbe>());
        services.AddSingleton(static sp => new GoldenEdges(sp.GetService<TimeProvider>()));
        services.AddSingleton<TelemetryRegistry>();
        services.AddSingleton<HashMetrics>();
        services.AddSingleton<LatencyStats>();
        services.AddSingleton<InboundEndpoint>();
        services.AddSingleton<Outbound.OutboundEndpoints>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = bootstrap.Options.DrainTimeout);
        return services;
    }
}
