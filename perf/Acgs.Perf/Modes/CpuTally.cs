// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.LoadTest.Running;
using Acgs.Perf.Lab;

namespace Acgs.Perf.Modes;

/// <summary>CPU seconds a proxy process tree spent during its own measured slices, and the requests
/// it served in them: CPU per request measured in the same interleaved run as the latencies. With the
/// proxies' pinned CPU known, also the share of each slice's wall time the hypervisor stole from that CPU.</summary>
/// <param name="proxyCpu">The CPU the proxies are pinned to, or null (then no steal is measured).</param>
internal sealed class CpuTally(int? proxyCpu = null)
{
    private readonly Dictionary<TargetKind, (double Seconds, long Requests)> _totals = [];
    private readonly Dictionary<TargetKind, (double Run, double Wait)> _sched = [];
    private readonly Dictionary<TargetKind, (double Stolen, double Wall)> _steal = [];

    /// <summary>Runs one slice of <paramref name="target"/> and adds its CPU time and requests.</summary>
    public async Task<RunResult> MeasureAsync(Target target, Func<Task<RunResult>> run)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(run);
        if (target.Process is null)
        {
            return await run().ConfigureAwait(false);
        }

        var before = ProcFs.CpuSeconds(target.Process.Pid);
        var schedBefore = ProcFs.SchedSeconds(target.Process.Pid);
        var stealBefore = proxyCpu is { } c0 ? ProcFs.StealSeconds(c0) : null;
        var wall = Stopwatch.StartNew();
        var result = await run().ConfigureAwait(false);
        var wallSeconds = wall.Elapsed.TotalSeconds;
        var stealAfter = proxyCpu is { } c1 ? ProcFs.StealSeconds(c1) : null;
        var after = ProcFs.CpuSeconds(target.Process.Pid);
        var schedAfter = ProcFs.SchedSeconds(target.Process.Pid);
        Add(target.Kind, after - before, result.Stats?.Requests ?? 0);
        AddScheduling(target.Kind, schedAfter.Run - schedBefore.Run, schedAfter.Wait - schedBefore.Wait);
        if (stealBefore is { } s0 && stealAfter is { } s1)
        {
            AddSteal(target.Kind, s1 - s0, wallSeconds);
        }

        return result;
    }

    /// <summary>Adds <paramref name="stolenSeconds"/> the hypervisor took from the proxies' CPU during
    /// <paramref name="wallSeconds"/> of <paramref name="kind"/>'s slices.</summary>
    public void AddSteal(TargetKind kind, double stolenSeconds, double wallSeconds)
    {
        _steal.TryGetValue(kind, out var t);
        _steal[kind] = (t.Stolen + stolenSeconds, t.Wall + wallSeconds);
    }

    /// <summary>Share of <paramref name="kind"/>'s slices' wall time its pinned CPU was stolen by the
    /// hypervisor (0 without samples).</summary>
    public double StealShare(TargetKind kind) =>
        _steal.TryGetValue(kind, out var t) && t.Wall > 0 ? t.Stolen / t.Wall : 0;

    /// <summary>Adds time <paramref name="kind"/>'s threads ran and waited on a run queue in its slices.</summary>
    public void AddScheduling(TargetKind kind, double runSeconds, double waitSeconds)
    {
        _sched.TryGetValue(kind, out var t);
        _sched[kind] = (t.Run + runSeconds, t.Wait + waitSeconds);
    }

    /// <summary>Run-queue wait ÷ run time of <paramref name="kind"/> in its slices (0 without samples): how much
    /// its threads were kept off the CPU by other runnable threads.</summary>
    public double WaitToRun(TargetKind kind) =>
        _sched.TryGetValue(kind, out var t) && t.Run > 0 ? t.Wait / t.Run : 0;

    /// <summary>Adds <paramref name="cpuSeconds"/> spent serving <paramref name="requests"/> to <paramref name="kind"/>.</summary>
    public void Add(TargetKind kind, double cpuSeconds, long requests)
    {
        _totals.TryGetValue(kind, out var t);
        _totals[kind] = (t.Seconds + cpuSeconds, t.Requests + requests);
    }

    /// <summary>CPU µs per request of <paramref name="kind"/>, or NaN without requests.</summary>
    public double MicrosecondsPerRequest(TargetKind kind) =>
        _totals.TryGetValue(kind, out var t) && t.Requests > 0 ? t.Seconds * 1e6 / t.Requests : double.NaN;

    /// <summary>Requests <paramref name="kind"/> served in its measured slices.</summary>
    public long Requests(TargetKind kind) => _totals.TryGetValue(kind, out var t) ? t.Requests : 0;
}
