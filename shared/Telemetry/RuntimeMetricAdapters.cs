// Constitutional Hash: cdd01ef066bc6cf2

using Prometheus;

namespace Acgs.Telemetry;

/// <summary>
/// Bridges the runtime's metrics into a host's registry (the sidecar's and the control plane's: this file is linked into both): prometheus-net's .NET and process
/// collectors (<c>dotnet_*</c>, <c>process_*</c>) and, narrowed, its <see cref="MeterAdapter"/> and
/// <see cref="EventCounterAdapter"/>. Unfiltered, the meter adapter listens to every
/// <see cref="System.Diagnostics.Metrics.Meter"/> — including ASP.NET Core hosting, Kestrel and
/// HttpClient, which then record per-request measurements with tags on both sides of the proxy
/// (kilobytes and microseconds of CPU per proxied request). The sidecar's own <c>acgs_*</c> metrics
/// already count requests, so only the runtime's meter and event counters (<c>System.Runtime</c>:
/// GC, allocation, thread pool — what the perf runner and dashboards read) are bridged.
/// Started by the host; disposing stops the listeners.
/// </summary>
internal sealed class RuntimeMetricAdapters : IDisposable
{
    /// <summary>The runtime's meter and event source name.</summary>
    public const string RuntimeSource = "System.Runtime";

    private readonly IDisposable _meters;
    private readonly IDisposable _eventCounters;

    /// <summary>
    /// Registers the collectors in <paramref name="registry"/> and starts the adapters, creating metrics through
    /// <paramref name="factory"/> (the same registry's). With <paramref name="processCollectors"/> false, prometheus-net's
    /// <c>dotnet_*</c>/<c>process_*</c> collectors are left out: they refresh the process on every scrape, listing every open
    /// file descriptor and thread (<c>process_open_handles</c>, <c>process_num_threads</c>), which costs milliseconds per scrape
    /// in a process holding thousands of sockets (a control plane with its sidecars' streams); the <c>System.Runtime</c>
    /// meter still carries CPU time, working set, GC, JIT and the thread pool.
    /// </summary>
    public RuntimeMetricAdapters(CollectorRegistry registry, IMetricFactory factory, bool processCollectors = true)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(factory);
        if (processCollectors)
        {
            DotNetStats.Register(registry);
        }

        _meters = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = registry, // collected before each scrape
            MetricFactory = factory, // where the metrics are created
            InstrumentFilterPredicate = static instrument => IsBridged(instrument.Meter.Name),
        });
        _eventCounters = EventCounterAdapter.StartListening(new EventCounterAdapterOptions
        {
            MetricFactory = factory,
            EventSourceFilterPredicate = static name => IsBridged(name),
        });
    }

    /// <summary>True for the meters and event sources that reach <c>/metrics</c>.</summary>
    public static bool IsBridged(string name) => string.Equals(name, RuntimeSource, StringComparison.Ordinal);

    /// <inheritdoc />
    public void Dispose()
    {
        _meters.Dispose();
        _eventCounters.Dispose();
    }
}
