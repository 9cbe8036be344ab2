// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text;

namespace Acgs.Perf.Convergence;

/// <summary>
/// A CPU list as <c>taskset -c</c> reads it (<c>0-1</c>, <c>2,3</c>, <c>0,2-3</c>): parsed, checked against the CPUs this
/// process may run on, and written back in one canonical form. The multi-process mode pins the replicas (and their
/// redis-server) and the watcher processes with it (<c>--replica-cpus</c>, <c>--watcher-cpus</c>).
/// </summary>
internal static class CpuList
{
    /// <summary>The most CPUs a list may name (a range such as 0-100000 is refused, not expanded).</summary>
    private const int Highest = 4095;

    /// <summary>The CPUs in <paramref name="text"/>, ascending and distinct; null when it is not a CPU list.</summary>
    public static IReadOnlyList<int>? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cpus = new SortedSet<int>();
        foreach (var part in text.Split(','))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var first = dash < 0 ? part : part[..dash];
            var last = dash < 0 ? part : part[(dash + 1)..];
            if (!Cpu(first, out var from) || !Cpu(last, out var to) || to < from)
            {
                return null;
            }

            for (var cpu = from; cpu <= to; cpu++)
            {
                cpus.Add(cpu);
            }
        }

        return [.. cpus];
    }

    /// <summary><paramref name="cpus"/> (ascending) as a list with ranges: 0,1,2,5 → <c>0-2,5</c>.</summary>
    public static string Format(IReadOnlyList<int> cpus)
    {
        ArgumentNullException.ThrowIfNull(cpus);
        var text = new StringBuilder();
        for (var i = 0; i < cpus.Count; i++)
        {
            var start = i;
            while (i + 1 < cpus.Count && cpus[i + 1] == cpus[i] + 1)
            {
                i++;
            }

            text.Append(text.Length > 0 ? "," : string.Empty).Append(cpus[start].ToString(CultureInfo.InvariantCulture));
            if (i > start)
            {
                text.Append('-').Append(cpus[i].ToString(CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    /// <summary>The CPUs this process may run on (<c>Cpus_allowed_list</c> in /proc/self/status; else 0 to the processor count − 1).</summary>
    public static IReadOnlyList<int> Allowed()
    {
        const string Field = "Cpus_allowed_list:";
        if (File.Exists("/proc/self/status"))
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(Field, StringComparison.Ordinal) && Parse(line[Field.Length..].Trim()) is { Count: > 0 } allowed)
                {
                    return allowed;
                }
            }
        }

        return [.. Enumerable.Range(0, Environment.ProcessorCount)];
    }

    /// <summary><c>taskset</c> on PATH, /usr/bin or /bin; null when there is none.</summary>
    public static string? Taskset() => Multi.RedisProcess.OnPath("taskset", "/usr/bin", "/bin");

    private static bool Cpu(string text, out int cpu) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out cpu) && cpu <= Highest;
}
