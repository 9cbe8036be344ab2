// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.Contracts.Config;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace Acgs.Sidecar.Admin;

/// <summary>
/// The admin listener's endpoints (loopback by default; never hash-checked): health probes,
/// Prometheus metrics, config dump, breakers, drain and the latency statistics of the perf gate. The state-changing
/// ones (POST) pass <see cref="AdminGuard"/> first: the admin token, no browser cross-site request.
/// </summary>
internal static class AdminEndpoints
{
    /// <summary>Maps every admin endpoint, each restricted to the admin listener.</summary>
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/health/live", Live).WithMetadata(ListenerMetadata.Admin);
        endpoints.MapGet("/health/ready", Ready).WithMetadata(ListenerMetadata.Admin);
        endpoints.MapGet("/health/startup", Startup).WithMetadata(ListenerMetadata.Admin);
        var metrics = endpoints.ServiceProvider.GetRequiredService<SidecarMetrics>();
        _ = endpoints.ServiceProvider.GetRequiredService<Acgs.Telemetry.RuntimeMetricAdapters>(); // bridges the runtime's metrics into it
        endpoints.MapMetrics("/metrics", metrics.Registry).WithMetadata(ListenerMetadata.Admin);
        endpoints.MapGet("/config_dump", ConfigDump).WithMetadata(ListenerMetadata.Admin);
        endpoints.MapGet("/breakers", Breakers).WithMetadata(ListenerMetadata.Admin);
        endpoints.MapPost("/drain", Drain).WithMetadata(ListenerMetadata.Admin);
        endpoints.MapGet("/stats/latency", Latency).WithMetadata(ListenerMetadata.Admin);
        endpoints.MapPost("/stats/latency/reset", ResetLatency).WithMetadata(ListenerMetadata.Admin);
        endpoints.MapGet("/runtime", Runtime).WithMetadata(ListenerMetadata.Admin);
        Identity.IdentityAdminEndpoint.Map(endpoints);
        AppHealthEndpoint.Map(endpoints);
    }

    private static Task Runtime(HttpContext context) =>
        AdminJson.WriteAsync(context, 200, RuntimeSettings.Capture(), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteBoolean("native_aot", s.NativeAot);
            w.WriteString("gc", s.ServerGc ? "server" : "workstation");
            w.WriteBoolean("gc_concurrent", s.ConcurrentGc);
            w.WriteBoolean("inline_socket_completions", s.InlineSocketCompletions);
            w.WriteString("inline_socket_completions_source", s.InlineSocketCompletionsSource);
            w.WriteNumber("thread_pool_spin_limit", s.ThreadPoolSpinLimit);
            w.WriteString("thread_pool_spin_limit_source", s.ThreadPoolSpinLimitSource);
            w.WriteBoolean("tiered_compilation", s.TieredCompilation);
            w.WriteNumber("processor_count", s.ProcessorCount);
            w.WriteNumber("gc_conserve_memory", s.GcConserveMemory);
            w.WriteNumber("gc_region_size", s.GcRegionSize);
            w.WriteBoolean("trim_after_start", s.TrimAfterStart);
            w.WriteNumber("trimmed_file_bytes", s.TrimmedFileBytes);
            w.WriteEndObject();
        });

    private static Task Live(HttpContext context) =>
        AdminJson.WriteAsync(context, 200, 0, static (w, _) =>
        {
            w.WriteStartObject();
            w.WriteString("status", "live");
            w.WriteEndObject();
        });

    private static Task Ready(HttpContext context)
    {
        var health = context.RequestServices.GetRequiredService<HealthState>();
        var config = context.RequestServices.GetRequiredService<ConfigApplier>();
        var reasons = new List<string>(3);
        if (health.Draining)
        {
            reasons.Add("draining");
        }

        if (!config.HasConfig)
        {
            reasons.Add("no valid config snapshot is active");
        }

        if (!health.AppReachable)
        {
            reasons.Add("local app is not reachable: " + health.AppProbeError);
        }

        if (context.RequestServices.GetService<Identity.WorkloadIdentity>() is { Enabled: true, Current: null } identity)
        {
            reasons.Add("no workload certificate yet" + (identity.LastError is { } error ? ": " + error : string.Empty));
        }

        return AdminJson.WriteAsync(context, reasons.Count == 0 ? 200 : 503, reasons, static (w, r) =>
        {
            w.WriteStartObject();
            w.WriteString("status", r.Count == 0 ? "ready" : "not_ready");
            w.WriteStartArray("reasons");
            foreach (var reason in r)
            {
                w.WriteStringValue(reason);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static Task Startup(HttpContext context)
    {
        var started = context.RequestServices.GetRequiredService<HealthState>().Started
            && context.RequestServices.GetRequiredService<ConfigApplier>().HasConfig;
        return AdminJson.WriteAsync(context, started ? 200 : 503, started, static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("status", s ? "started" : "starting");
            w.WriteEndObject();
        });
    }

    private static Task ConfigDump(HttpContext context)
    {
        var services = context.RequestServices;
        var active = services.GetRequiredService<ConfigApplier>().CurrentOrNull;
        var options = services.GetRequiredService<SidecarOptions>();
        var ports = services.GetRequiredService<ListenerPorts>();
        return AdminJson.WriteAsync(context, active is null ? 503 : 200, (active, options, ports), static (w, s) =>
        {
            var (active, options, ports) = s;
            w.WriteStartObject();
            w.WriteString("constitutional_hash", Core.AcgsConstants.ConstitutionalHash);
            w.WriteString("version", active?.Snapshot.Version);
            w.WriteString("source", active?.Source);
            if (active is not null)
            {
                w.WriteString("applied_at", active.AppliedAt);
            }

            w.WriteString("service_name", options.ServiceName);
            w.WriteString("node_id", options.NodeId);
            w.WriteStartObject("listeners");
            w.WriteString("inbound", $"{options.InboundAddress}:{ports.Inbound}");
            w.WriteString("outbound", $"{options.OutboundAddress}:{ports.Outbound}");
            w.WriteString("admin", $"{options.AdminAddress}:{ports.Admin}");
            w.WriteString("app", $"{options.AppHost}:{options.AppPort}");
            w.WriteEndObject();
            if (active is not null)
            {
                w.WritePropertyName("snapshot");
                JsonSerializer.Serialize(w, active.Snapshot, ConfigSnapshotJsonContext.Default.ConfigSnapshot);
            }

            w.WriteEndObject();
        });
    }

    private static Task Breakers(HttpContext context)
    {
        var registry = context.RequestServices.GetRequiredService<CircuitBreakerRegistry>();
        return AdminJson.WriteAsync(context, 200, registry.Snapshot(), static (w, breakers) =>
        {
            w.WriteStartObject();
            w.WriteStartArray("breakers");
            foreach (var breaker in breakers)
            {
                var options = breaker.Options;
                w.WriteStartObject();
                w.WriteString("name", breaker.Name);
                w.WriteString("state", CircuitStateNames.Of(breaker.State));
                w.WriteNumber("consecutive_failures", breaker.ConsecutiveFailures);
                w.WriteBoolean("held_open", breaker.IsHeldOpen);
                w.WriteNumber("retry_after_seconds", Math.Ceiling(breaker.RetryAfter.TotalSeconds));
                w.WriteStartObject("options");
                w.WriteNumber("fail_max", options.FailMax);
                w.WriteNumber("reset_timeout_seconds", options.ResetTimeout.TotalSeconds);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static Task Drain(HttpContext context)
    {
        if (AdminGuard.Refuse(context) is { } refused)
        {
            return refused;
        }

        context.RequestServices.GetRequiredService<DrainCoordinator>().BeginDrain("POST /drain");
        return AdminJson.WriteAsync(context, 202, 0, static (w, _) =>
        {
            w.WriteStartObject();
            w.WriteString("status", "draining");
            w.WriteEndObject();
        });
    }

    private static Task Latency(HttpContext context)
    {
        var report = context.RequestServices.GetRequiredService<LatencyStats>().Report();
        return AdminJson.WriteAsync(context, 200, report, static (w, r) =>
        {
            w.WriteStartObject();
            w.WriteString("unit", "microseconds");
            w.WriteString("measure", "added = downstream time - upstream time (request sent to response headers)");
            WriteSummary(w, r.Added);
            w.WriteStartObject("downstream");
            WriteSummary(w, r.Downstream);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static Task ResetLatency(HttpContext context)
    {
        if (AdminGuard.Refuse(context) is { } refused)
        {
            return refused;
        }

        context.RequestServices.GetRequiredService<LatencyStats>().Reset();
        return AdminJson.WriteAsync(context, 200, 0, static (w, _) =>
        {
            w.WriteStartObject();
            w.WriteString("status", "reset");
            w.WriteEndObject();
        });
    }

    private static void WriteSummary(Utf8JsonWriter w, LatencySummary s)
    {
        w.WriteNumber("count", s.Count);
        w.WriteNumber("p50_us", s.P50Us);
        w.WriteNumber("p90_us", s.P90Us);
        w.WriteNumber("p99_us", s.P99Us);
        w.WriteNumber("p999_us", s.P999Us);
        w.WriteNumber("max_us", s.MaxUs);
    }
}
