// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Perf.Lab;

namespace Acgs.Perf.Soak;

/// <summary>Reads RSS and open descriptors of the sidecars and the control plane every <c>period</c> until stopped (from /proc).</summary>
internal sealed class SoakSampler
{
    private readonly SoakMesh _mesh;
    private readonly IdleConnectionHolder _idle;
    private readonly Stopwatch _clock;
    private readonly List<SoakSample> _samples = [];

    public SoakSampler(SoakMesh mesh, IdleConnectionHolder idle, Stopwatch clock)
    {
        _mesh = mesh;
        _idle = idle;
        _clock = clock;
    }

    /// <summary>The samples taken so far, oldest first.</summary>
    public IReadOnlyList<SoakSample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>Samples every <paramref name="period"/> until <paramref name="ct"/> is cancelled.</summary>
    public async Task RunAsync(TimeSpan period, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            do
            {
                try
                {
                    Take();
                }
                catch (Exception ex) when (ex is InvalidOperationException or IOException)
                {
                    // a process went away between the listing and the reading: the next tick reads again
                }
            }
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // the soak is over
        }
    }

    /// <summary>Takes one sample now and returns it.</summary>
    public SoakSample Take()
    {
        var plane = _mesh.ControlPlanePid;
        var sample = new SoakSample(
            Math.Round(_clock.Elapsed.TotalSeconds, 1),
            Math.Round(ProcFs.StatusMiB(_mesh.A.Process.Pid, "VmRSS"), 1),
            Math.Round(ProcFs.StatusMiB(_mesh.B.Process.Pid, "VmRSS"), 1),
            Descriptors(_mesh.A.Process.Pid),
            Descriptors(_mesh.B.Process.Pid),
            plane == 0 ? 0 : Math.Round(ProcFs.StatusMiB(plane, "VmRSS"), 1),
            plane == 0 ? 0 : Descriptors(plane),
            _idle.Open);
        lock (_samples)
        {
            _samples.Add(sample);
        }

        return sample;
    }

    /// <summary>Open descriptors of a process (entries of /proc/&lt;pid&gt;/fd), or -1 when it is gone.</summary>
    public static int Descriptors(int pid)
    {
        try
        {
            var count = 0;
            foreach (var _ in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                count++;
            }

            return count;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }
}
