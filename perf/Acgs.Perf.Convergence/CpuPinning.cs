// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Convergence;

/// <summary>
/// Where the multi-process mode's processes may run (<c>taskset -c</c>): the replicas and their redis-server on
/// <see cref="Replicas"/>, the watcher processes on <see cref="Watchers"/>; null = anywhere. On a host with enough cores,
/// disjoint lists keep the simulated sidecars' work (a real sidecar's is on its own machine) off the control plane's cores.
/// </summary>
internal sealed record CpuPinning(IReadOnlyList<int>? Replicas, IReadOnlyList<int>? Watchers)
{
    /// <summary>No pinning.</summary>
    public static readonly CpuPinning None = new(null, null);

    /// <summary>The pinning <c>--replica-cpus</c> and <c>--watcher-cpus</c> ask for (checked by <see cref="BenchArguments.Parse"/>).</summary>
    public static CpuPinning From(BenchArguments args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new CpuPinning(List(args.Text("--replica-cpus")), List(args.Text("--watcher-cpus")));
    }

    /// <summary>The least wall time a change needs when the control plane's and the watchers' CPU for it (ms) must run on the
    /// CPUs each may use (<paramref name="allowed"/> when not pinned): neither side faster than its own CPUs allow, and both
    /// together no faster than the CPUs they may use between them. A lower bound: it leaves out redis-server and the benchmark.</summary>
    public static double FloorMs(double controlPlaneCpuMs, double watcherCpuMs, CpuPinning pinning, IReadOnlyList<int> allowed)
    {
        ArgumentNullException.ThrowIfNull(pinning);
        ArgumentNullException.ThrowIfNull(allowed);
        var replicas = pinning.Replicas ?? allowed;
        var watchers = pinning.Watchers ?? allowed;
        var together = replicas.Union(watchers).Count();
        return Math.Max((controlPlaneCpuMs + watcherCpuMs) / together, Math.Max(controlPlaneCpuMs / replicas.Count, watcherCpuMs / watchers.Count));
    }

    private static IReadOnlyList<int>? List(string? text) => text is null ? null : CpuList.Parse(text);
}
