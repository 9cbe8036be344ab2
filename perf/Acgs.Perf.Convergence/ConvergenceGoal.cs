// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;

namespace Acgs.Perf.Convergence;

/// <summary>
/// The convergence goals per point: p99 ≤ 100 ms for up to 1,000 watchers (in-process or on any number of replicas: more
/// replicas must not loosen it), ≤ 250 ms for up to 5,000 over two or more replicas. Larger points have no goal; the growth
/// curve states where they land. A run exits 1 only when its point has a goal and misses it.
/// </summary>
internal static class ConvergenceGoal
{
    /// <summary>The p99 goal in milliseconds for <paramref name="watchers"/> over <paramref name="replicas"/> (0 = in-process), or null.</summary>
    public static double? For(int watchers, int replicas) => watchers <= 1000 ? 100 : replicas >= 2 && watchers <= 5000 ? 250 : null;

    /// <summary>Whether <paramref name="p99Ms"/> meets the point's goal; null when the point has none.</summary>
    public static bool? Met(double p99Ms, int watchers, int replicas) => For(watchers, replicas) is { } goal ? p99Ms <= goal : null;

    /// <summary>The report's goal line.</summary>
    public static string Line(double p99Ms, int watchers, int replicas) => For(watchers, replicas) is { } goal
        ? string.Create(CultureInfo.InvariantCulture, $"goal p99 <= {goal:F0} ms ({Scope(goal)}): {(p99Ms <= goal ? "PASS" : "FAIL")}")
        : string.Create(CultureInfo.InvariantCulture, $"no goal at {watchers} watchers {Where(replicas)} (goals: p99 <= 100 ms up to 1,000 watchers, <= 250 ms up to 5,000 over two or more replicas)");

    /// <summary>The exit code of a run: 1 when its point has a goal and misses it, else 0.</summary>
    public static int ExitCode(double p99Ms, int watchers, int replicas) => Met(p99Ms, watchers, replicas) is false ? 1 : 0;

    private static string Scope(double goal) => goal <= 100 ? "up to 1,000 watchers" : "up to 5,000 watchers over two or more replicas";

    private static string Where(int replicas) => replicas switch
    {
        0 => "in-process",
        1 => "on one replica",
        _ => string.Create(CultureInfo.InvariantCulture, $"over {replicas} replicas"),
    };
}
