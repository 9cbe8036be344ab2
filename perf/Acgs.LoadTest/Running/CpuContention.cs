// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;

namespace Acgs.LoadTest.Running;

/// <summary>
/// How much a process was kept off the CPUs while a measurement ran (Linux): the time its threads ran and waited on a
/// run queue (<c>/proc/&lt;pid&gt;/task/*/schedstat</c>: runnable, but another thread held the CPU) and the machine's
/// CPU time the hypervisor stole (the steal column of <c>/proc/stat</c>'s <c>cpu</c> line) out of all its CPU time.
/// Take a <see cref="Sample"/> before and after and subtract: reported beside a latency the process measures of itself
/// (the bus gate's own p99), which proves little about the code while its CPU was taken.
/// </summary>
/// <param name="RunSeconds">Seconds the process's threads ran.</param>
/// <param name="WaitSeconds">Seconds they waited on a run queue.</param>
/// <param name="StolenSeconds">Seconds of the machine's CPU time stolen by the hypervisor.</param>
/// <param name="MachineSeconds">Seconds of the machine's CPU time in all (every CPU, every state).</param>
public readonly record struct CpuContention(double RunSeconds, double WaitSeconds, double StolenSeconds, double MachineSeconds)
{
    private const double TicksPerSecond = 100; // USER_HZ

    /// <summary>Run-queue wait ÷ run time (0 without run time).</summary>
    public double WaitToRun => RunSeconds > 0 ? WaitSeconds / RunSeconds : 0;

    /// <summary>Stolen ÷ all of the machine's CPU time (0 without samples).</summary>
    public double StealShare => MachineSeconds > 0 ? StolenSeconds / MachineSeconds : 0;

    /// <summary>The counters now for process <paramref name="pid"/> (zeros for what this kernel does not report).</summary>
    public static CpuContention Sample(int pid)
    {
        var (run, wait) = ThreadSeconds(pid);
        double stolen = 0, machine = 0;
        try
        {
            foreach (var line in File.ReadLines("/proc/stat"))
            {
                if (line.StartsWith("cpu ", StringComparison.Ordinal))
                {
                    // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user)
                    var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    for (var i = 1; i < fields.Length && i <= 8; i++)
                    {
                        machine += long.Parse(fields[i], CultureInfo.InvariantCulture) / TicksPerSecond;
                    }

                    stolen = fields.Length > 8 ? long.Parse(fields[8], CultureInfo.InvariantCulture) / TicksPerSecond : 0;
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            // no /proc/stat here
        }

        return new CpuContention(run, wait, stolen, machine);
    }

    /// <summary>
    /// Seconds the threads of process <paramref name="pid"/> ran on a CPU and waited on a run queue (runnable, but the
    /// CPU was taken), summed over <c>/proc/&lt;pid&gt;/task/*/schedstat</c>; what was read before the process exited
    /// or a read failed (zeros on a kernel without schedstat).
    /// </summary>
    public static (double Run, double Wait) ThreadSeconds(int pid)
    {
        double run = 0, wait = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                var fields = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ');
                if (fields.Length >= 2)
                {
                    run += long.Parse(fields[0], CultureInfo.InvariantCulture) / 1e9;
                    wait += long.Parse(fields[1], CultureInfo.InvariantCulture) / 1e9;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            // exited meanwhile, or no schedstat on this kernel
        }

        return (run, wait);
    }

    /// <summary>What happened between sample <paramref name="before"/> and sample <paramref name="after"/>.</summary>
    public static CpuContention operator -(CpuContention after, CpuContention before) =>
        new(after.RunSeconds - before.RunSeconds, after.WaitSeconds - before.WaitSeconds,
            after.StolenSeconds - before.StolenSeconds, after.MachineSeconds - before.MachineSeconds);
}
