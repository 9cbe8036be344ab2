// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Convergence;

/// <summary>Percentiles (nearest rank) and the machine's load average, shared by the modes.</summary>
internal static class Stats
{
    public static double Percentile(IEnumerable<double> values, double percentile)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        sorted.Sort();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
