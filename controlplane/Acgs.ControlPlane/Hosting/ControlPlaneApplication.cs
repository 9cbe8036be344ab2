// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json;
using Acgs.ControlPlane.Api;
using Acgs.ControlPlane.Chaos;
using Acgs.ControlPlane.Discovery;
using Acgs.ControlPlane.Distribution;
using Acgs.ControlPlane.Health;
using Acgs.ControlPlane.HealthAggregation;
using Acgs.ControlPlane.Identity;
using Acgs.ControlPlane.Injection;
using Acgs.ControlPlane.Leadership;
using Acgs.ControlPlane.Policies;
using Acgs.ControlPlane.Recovery;
using Acgs.ControlPlane.Replication;
using Acgs.ControlPlane.Rollouts;
using Acgs.ControlPlane.StatusPage;
using Acgs.ControlPlane.Store;
using Acgs.ControlPlane.Telemetry;
using Acgs.Core.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Hosting;

/// <summary>Builds the control-plane web application (Program.cs and the tests use the same path).</summary>
internal static partial class ControlPlaneApplication
{
    /// <summary>
    /// Builds the app from <paramref name="args"/>, the environment and <c>appsettings.json</c>;
    /// <paramref name="configure"/> may add configuration (tests). Throws when a setting is invalid, listing all.
    /// </summary>
    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? configure = null) =>
        TryBuild(args, configure, out var app, out var problems)
            ? app
            : throw new InvalidOperationException("Invalid control-plane settings: " + string.Join("; ", problems));

    /// <summary>
    /// Reads every setting (<see cref="ControlPlaneSettings"/>) and, when all are valid, builds the app; else
    /// <paramref name="app"/> is null and <paramref name="problems"/> lists every problem, one line each.
    /// </summary>
    public static bool TryBuild(string[] args, Action<IConfigurationBuilder>? configure, [NotNullWhen(true)] out WebApplication? app, out IReadOnlyList<string> problems)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        configure?.Invoke(builder.Configuration);
        var settings = ControlPlaneSettings.Read(builder.Configuration, out problems);
        if (!IdentityOptions.TryRead(builder.Configuration, out var identity, out var identityProblems))
        {
            problems = [.. problems, .. identityProblems];
        }

        if (problems.Count > 0)
        {
            app = null;
            return false;
        }

        var options = settings.Host;
        builder.Logging.AddAcgsConsole(settings.LogFormat, TimeProvider.System);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            switch (options.BindAddress)
            {
                case "*":
                    kestrel.ListenAnyIP(options.Port);
                    break;
                case "localhost":
                    kestrel.ListenLocalhost(options.Port);
                    break;
                default:
                    kestrel.Listen(IPAddress.Parse(options.BindAddress), options.Port);
                    break;
            }
        });

        AddServices(builder.Services, options);
        AddLeadership(builder.Services, options, settings.Leadership);
        builder.AddInjectionWebhook(settings.Webhook);
        builder.Services.AddAcgsRollouts(settings.Rollouts);
        builder.Services.AddAcgsRecovery(settings.Recovery);
        builder.Services.AddAcgsIdentity(identity);
        Metering.MeteringServiceCollectionExtensions.AddAcgsMetering(builder.Services, settings.Metering);
        Tracing.ControlPlaneTracing.AddAcgsTracing(builder.Services, settings.Tracing); // nothing but the options without OTEL_EXPORTER_OTLP_ENDPOINT
        app = builder.Build();
        Tracing.ControlPlaneTracing.UseIfEnabled(app); // the API requests' spans, around everything else
        app.Use(BadRequestProblems.InvokeAsync);
        app.UseRouting();
        app.Use(AdminAuthorizationMiddleware.InvokeAsync);
        app.Use(app.Services.GetRequiredService<LeaderForwarding>().InvokeAsync); // rollouts and recovery: answered by the leader
        app.MapHealthEndpoints();
        app.MapPolicyEndpoints();
        app.MapChaosEndpoints();
        app.MapDistributionEndpoints();
        app.MapDiscoveryEndpoints();
        app.MapHealthAggregationEndpoints();
        app.MapInjectionWebhook();
        app.MapRolloutEndpoints();
        app.MapRecoveryEndpoints();
        app.MapLeadershipEndpoints();
        app.MapIdentityEndpoints();
        Metering.MeteringEndpoints.MapMeteringEndpoints(app);
        app.MapStatusPage();
        var metrics = app.Services.GetRequiredService<ControlPlaneMetrics>();
        _ = app.Services.GetRequiredService<Acgs.Telemetry.RuntimeMetricAdapters>(); // bridges the runtime's metrics (system_runtime_*) into it
        ConvergenceGauge.Register(metrics.Registry, app.Services.GetRequiredService<DistributionHub>());
        RebuildGauge.Register(metrics.Registry, app.Services.GetRequiredService<DistributionHub>());
        app.MapMetrics("/metrics", metrics.Registry);
        return true;
    }

    private static void AddServices(IServiceCollection services, ControlPlaneOptions options)
    {
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
            json.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow; // unknown fields are refused by every API
        });
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(static o => o.ThrowOnBadRequest = true); // answered by BadRequestProblems
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<StatusSource>();
        services.AddSingleton(options.AcceptedHashes);
        services.AddKeyedSingleton(ServiceKeys.Admin, new BearerTokenVerifier(options.AdminToken));
        services.AddKeyedSingleton(ServiceKeys.Read, new BearerTokenVerifier(options.ReadToken));
        services.AddKeyedSingleton(ServiceKeys.Sidecar, new BearerTokenVerifier(options.SidecarToken));
        services.AddSingleton(static sp => new AccessMetrics(sp.GetRequiredService<ControlPlaneMetrics>().Registry));
        services.AddSingleton<SidecarAccess>();
        services.AddHostedService<AccessWarnings>();
        services.AddSingleton<StartupState>();
        services.AddSingleton<ControlPlaneMetrics>();
        services.AddSingleton(static sp =>
        {
            var metrics = sp.GetRequiredService<ControlPlaneMetrics>();
            return new Acgs.Telemetry.RuntimeMetricAdapters(metrics.Registry, metrics.Factory, processCollectors: false); // a replica holds a socket per stream
        });
        services.AddSingleton<IPolicyChangeListener>(static sp => sp.GetRequiredService<ControlPlaneMetrics>());
        services.AddSingleton<IPolicyContentValidator, ContractPolicyContentValidator>();
        services.AddSingleton<CompileCheck>();
        services.AddSingleton<Compiler.CompiledAhead>();
        services.AddSingleton<PolicyRegistry>();
        services.AddSingleton<EmergencyStopService>();
        services.AddSingleton<DistributionHub>();
        services.AddSingleton<IPolicyChangeListener>(static sp => sp.GetRequiredService<DistributionHub>());
        if (options.Redis is { } redis)
        {
            services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redis.ToConfigurationOptions()));
            services.AddSingleton<IPolicyStore>(sp => new RedisPolicyStore(sp.GetRequiredService<IConnectionMultiplexer>(), options.RedisKeyPrefix, sp.GetRequiredService<StoreIntegrityMonitor>()));
            services.AddSingleton<StoreIntegrityMonitor>();
            services.AddSingleton(sp => new ServiceDirectory(options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IConnectionMultiplexer>()));
            services.AddSingleton(sp => new RedisReplicaFanout(sp.GetRequiredService<IConnectionMultiplexer>(), options.RedisKeyPrefix, options.ReplicaId));
            services.AddSingleton<RedisChangeBus>();
            services.AddSingleton<IPolicyChangeListener>(static sp => sp.GetRequiredService<RedisChangeBus>());
        }
        else
        {
            services.AddSingleton<IPolicyStore>(_ => new EmbeddedPolicyStore(options.DataDirectory));
            services.AddSingleton(sp => new ServiceDirectory(options, sp.GetRequiredService<TimeProvider>(), memoryFile: Path.Combine(options.DataDirectory, "discovery.json")));
        }

        services.AddHostedService<StoreInitializer>();
        if (options.Redis is not null)
        {
            services.AddHostedService(static sp => sp.GetRequiredService<RedisChangeBus>());
        }

        services.AddHostedService<DistributionService>();
        services.AddSingleton(static sp =>
        {
            var settings = sp.GetRequiredService<ControlPlaneOptions>();
            return new HealthAggregator(
                settings.HealthReportInterval, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ControlPlaneMetrics>(), settings.HealthForgetAfter);
        });
        services.AddHostedService<HealthAggregationService>();
    }
}
