// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.LoadTest.Running;

namespace Acgs.LoadTest.Faults;

/// <summary>
/// Injects stalls into target processes: every <c>period</c> it stops them all (SIGSTOP) for
/// <c>stop</c>, then continues them (SIGCONT), on a dedicated thread paced like the open-model generator.
/// A stopped process still has its connections accepted and its requests queued by the kernel, as when a
/// host deschedules a VM's CPU or a process waits on a page fault; what is measured afterwards is how fast
/// each target drains that backlog. The same stall pattern can be applied to several targets, so their
/// recovery compares in one run. Dispose continues every process, whatever happened. Linux only.
/// </summary>
public sealed class ProcessStaller : IDisposable
{
    private const int SigStop = 19;
    private const int SigCont = 18;

    private readonly int[] _pids;
    private readonly long _stopTicks;
    private readonly long _periodTicks;
    private readonly Thread _thread;
    private volatile bool _running;
    private long _stalls;

    /// <summary>Creates a staller for <paramref name="pids"/>; nothing happens before <see cref="Start"/>.</summary>
    public ProcessStaller(IReadOnlyList<int> pids, TimeSpan stop, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(pids);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(stop, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, stop);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("ProcessStaller needs Linux signals");
        }

        _pids = [.. pids];
        _stopTicks = (long)(stop.TotalSeconds * Stopwatch.Frequency);
        _periodTicks = (long)(period.TotalSeconds * Stopwatch.Frequency);
        _thread = new Thread(Run) { IsBackground = true, Name = "acgs-staller" };
    }

    /// <summary>Stalls injected so far.</summary>
    public long Stalls => Interlocked.Read(ref _stalls);

    /// <summary>Starts stalling (once).</summary>
    public void Start()
    {
        _running = true;
        _thread.Start();
    }

    /// <summary>Stops stalling and continues every process.</summary>
    public void Dispose()
    {
        _running = false;
        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        Signal(SigCont);
    }

    private void Run()
    {
        PreciseWait.PrepareCurrentThread(nice: -10);
        var next = Stopwatch.GetTimestamp() + _periodTicks;
        try
        {
            while (_running)
            {
                PreciseWait.Until(next, spinTicks: 0, sleepTicks: 0, marginTicks: 0);
                if (!_running)
                {
                    break;
                }

                Signal(SigStop);
                Interlocked.Increment(ref _stalls);
                PreciseWait.Until(next + _stopTicks, spinTicks: 0, sleepTicks: 0, marginTicks: 0);
                Signal(SigCont);
                next += _periodTicks;
            }
        }
        finally
        {
            Signal(SigCont);
        }
    }

    private void Signal(int signal)
    {
        foreach (var pid in _pids)
        {
            _ = NativeMethods.kill(pid, signal); // a process that has exited is simply skipped
        }
    }
}
