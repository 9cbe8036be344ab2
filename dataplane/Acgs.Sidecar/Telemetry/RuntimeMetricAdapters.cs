// Constitutional Hash: cdd01ef066bc6cf2

using Prometheus;

namespace Acgs.Sidecar.Telemetry;

/// <summary>
/// Narrows prometheus-net's bridges from .NET metrics to <c>/metrics</c>. By default its
/// <see cref="MeterAdapter"/> listens to every <see cref="System.Diagnostics.Metrics.Meter"/> once
/// the registry is first collected — including ASP.NET Core hosting, Kestrel and HttpClient, which
/// then record per-request measurements with tags on both sides of the proxy (measured: +3.8 KB and
/// several µs of CPU per proxied request, from the first scrape on). The sidecar's own
/// <c>acgs_*</c> metrics already count requests, so only the runtime's meter and event counters
/// (<c>System.Runtime</c>: GC, allocation, thread pool — what the perf runner and dashboards read)
/// are bridged.
/// </summary>
internal static class RuntimeMetricAdapters
{
    /// <summary>The runtime's meter and event source name.</summary>
    public const string RuntimeSource = "System.Runtime";

    private static int _configured;

    /// <summary>Applies the filters to the default registry's adapters (once per process).</summary>
    public static void Configure()
    {
        if (Interlocked.Exchange(ref _configured, 1) != 0)
        {
            return;
        }

        Metrics.ConfigureMeterAdapter(static options => options.InstrumentFilterPredicate = static instrument => IsBridged(instrument.Meter.Name));
        Metrics.ConfigureEventCounterAdapter(static options => options.EventSourceFilterPredicate = static name => IsBridged(name));
    }

    /// <summary>True for the meters and event sources that reach <c>/metrics</c>.</summary>
    public static bool IsBridged(string name) => string.Equals(name, RuntimeSource, StringComparison.Ordinal);
}
