// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Tests.Observability;

/// <summary>The control plane's <c>/metrics</c> carries the runtime's metrics, bridged as in the sidecar.</summary>
public sealed class RuntimeMetricsTests
{
    [Fact]
    public async Task Metrics_AnyReplica_ServesTheRuntimesProcessAndJitMetrics()
    {
        await using var host = await ControlPlaneHost.StartEmbeddedAsync(ControlPlaneHost.NewDataDirectory());

        var text = await host.Client.GetStringAsync("/metrics");

        Assert.Contains("\nprocess_cpu_seconds_total ", text, StringComparison.Ordinal); // prometheus-net's process collectors
        Assert.Contains("\nsystem_runtime_dotnet_jit_compilation_time ", text, StringComparison.Ordinal); // the System.Runtime meter
        Assert.Contains("\nsystem_runtime_dotnet_gc_heap_total_allocated ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("http_server_request_duration", text, StringComparison.Ordinal); // other meters (ASP.NET Core) stay out
    }
}
