// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.LoadTest.Running;

namespace Acgs.Perf.Lab;

/// <summary>CPU time and memory of a process and its descendants from /proc (Linux).</summary>
internal static class ProcFs
{
    /// <summary>USER_HZ: /proc/&lt;pid&gt;/stat counts CPU time in 1/100 s on Linux.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>utime + stime of the process and every descendant, in seconds.</summary>
    public static double CpuSeconds(int pid)
    {
        double total = 0;
        foreach (var p in Tree(pid))
        {
            var fields = StatFields(p);
            if (fields is not null)
            {
                // after "pid (comm)": [0]=state [1]=ppid ... [11]=utime [12]=stime
                total += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
        }

        return total / TicksPerSecond;
    }

    /// <summary>Seconds the threads of the process and its descendants ran on a CPU and waited on a run
    /// queue (runnable, but the CPU was taken: <see cref="CpuContention.ThreadSeconds"/> of each).</summary>
    public static (double Run, double Wait) SchedSeconds(int pid)
    {
        double run = 0, wait = 0;
        foreach (var p in Tree(pid))
        {
            var (r, w) = CpuContention.ThreadSeconds(p);
            run += r;
            wait += w;
        }

        return (run, wait);
    }

    /// <summary>Sum of a /proc/&lt;pid&gt;/status kB field (VmRSS, VmHWM) over the tree, in MiB.</summary>
    public static double StatusMiB(int pid, string field)
    {
        double kb = 0;
        foreach (var p in Tree(pid))
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{p}/status"))
                {
                    if (line.StartsWith(field + ":", StringComparison.Ordinal))
                    {
                        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        kb += double.Parse(parts[1], CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
                // exited meanwhile
            }
        }

        return kb / 1024;
    }

    /// <summary>Seconds CPU <paramref name="cpu"/> was stolen by the hypervisor (the steal column of its
    /// /proc/stat line: time this virtual CPU was runnable but another guest held the physical one), or
    /// null when the kernel does not report it.</summary>
    public static double? StealSeconds(int cpu)
    {
        try
        {
            var name = "cpu" + cpu.ToString(CultureInfo.InvariantCulture) + " ";
            foreach (var line in File.ReadLines("/proc/stat"))
            {
                if (line.StartsWith(name, StringComparison.Ordinal))
                {
                    // cpuN user nice system idle iowait irq softirq steal ...
                    var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return fields.Length > 8 ? long.Parse(fields[8], CultureInfo.InvariantCulture) / TicksPerSecond : null;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            // no /proc/stat here
        }

        return null;
    }

    /// <summary>The process and all its descendants (from /proc).</summary>
    public static List<int> Tree(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                var fields = StatFields(pid);
                if (fields is not null)
                {
                    parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                }
            }
        }

        var result = new List<int> { root };
        for (var i = 0; i < result.Count; i++)
        {
            foreach (var (pid, ppid) in parents)
            {
                if (ppid == result[i])
                {
                    result.Add(pid);
                }
            }
        }

        return result;
    }

    private static string[]? StatFields(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var close = text.LastIndexOf(')');
            return close < 0 ? null : text[(close + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
