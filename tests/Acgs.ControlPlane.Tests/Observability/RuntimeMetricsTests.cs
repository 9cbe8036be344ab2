// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Tests.Observability;

/// <summary>The control plane's <c>/metrics</c> carries the runtime's metrics, bridged as in the sidecar.</summary>
public sealed class RuntimeMetricsTests
{
    [Fact]
    public async Task Metrics_AnyReplica_ServesTheRuntimeMeterWithoutTheProcessCollectors()
    {
        await using var host = await ControlPlaneHost.StartEmbeddedAsync(ControlPlaneHost.NewDataDirectory());

        var text = await host.Client.GetStringAsync("/metrics");

        Assert.Contains("\nsystem_runtime_dotnet_jit_compilation_time ", text, StringComparison.Ordinal); // the System.Runtime meter
        Assert.Contains("\nsystem_runtime_dotnet_gc_heap_total_allocated ", text, StringComparison.Ordinal);
        Assert.Contains("\nsystem_runtime_dotnet_process_cpu_time{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("process_open_handles", text, StringComparison.Ordinal); // no per-scrape listing of every socket
        Assert.DoesNotContain("http_server_request_duration", text, StringComparison.Ordinal); // other meters (ASP.NET Core) stay out
    }
}
