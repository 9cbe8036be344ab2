// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;

namespace Acgs.BusPerf;

/// <summary>
/// CPU pinning of a run, as the HTTP perf lab does it (perf/Acgs.Perf PerfLab.PinLoadSide): the bus host
/// (the component under test) on the last CPU, this process — producer, consumer, pacer, and the
/// calibration's producer and consumer alike — on CPU 0 (every thread, <c>taskset -a</c>). Both the
/// calibration and the run through the bus are measured under the same pinning. Opt-in with <c>--pin</c>:
/// on this 2-CPU machine it raised the end-to-end p90 and p99 of both.
/// </summary>
internal sealed class CpuPinning
{
    private CpuPinning(string? taskset, string note)
    {
        Taskset = taskset;
        Note = note;
    }

    /// <summary>taskset's path when pinned, else null.</summary>
    public string? Taskset { get; }

    /// <summary>The CPU the bus host runs on when pinned.</summary>
    public static string HostCpu => (Environment.ProcessorCount - 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>What was done, for the report.</summary>
    public string Note { get; }

    /// <summary>Pins this process to CPU 0 (when <paramref name="enabled"/>, taskset exists and there are at least 2 CPUs).</summary>
    public static CpuPinning Apply(bool enabled)
    {
        if (!enabled)
        {
            return new CpuPinning(null, "not pinned (--pin to pin)");
        }

        if (Environment.ProcessorCount < 2)
        {
            return new CpuPinning(null, "not pinned (1 CPU)");
        }

        var taskset = Find("taskset");
        if (taskset is null)
        {
            return new CpuPinning(null, "not pinned (taskset not installed)");
        }

        var info = new ProcessStartInfo(taskset) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["-a", "-cp", "0", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)])
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        _ = process.StandardOutput.ReadToEnd();
        _ = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? new CpuPinning(taskset, $"pinned: bus host on CPU {HostCpu}; producer, consumer and calibration on CPU 0")
            : new CpuPinning(null, "not pinned (taskset failed)");
    }

    private static string? Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Append("/usr/bin").Append("/usr/sbin"))
        {
            var path = Path.Combine(dir, name);
            if (dir.Length > 0 && File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }
}
