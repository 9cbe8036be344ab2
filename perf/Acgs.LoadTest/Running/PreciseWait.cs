// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Acgs.LoadTest.Running;

/// <summary>The pacer's timing loop on a Stopwatch timestamp: sub-millisecond sleep far from the
/// target (Linux nanosleep with 1 ns timer slack), yield closer, busy-spin for the last microseconds.</summary>
internal static partial class PreciseWait
{
    private const int PrSetTimerSlack = 29;

    public static void PrepareCurrentThread(int? nice)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = NativeMethods.prctl(PrSetTimerSlack, 1, 0, 0, 0);
            if (nice is { } n)
            {
                // PRIO_PROCESS with a thread id renices that thread only; fails silently without privilege.
                _ = NativeMethods.setpriority(0, (uint)NativeMethods.gettid(), n);
            }
        }
    }

    public static void Until(long target, long spinTicks, long sleepTicks, long marginTicks)
    {
        while (true)
        {
            var remaining = target - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            if (remaining > sleepTicks)
            {
                Sleep(remaining - marginTicks);
            }
            else if (remaining > spinTicks)
            {
                Thread.Yield();
            }
            else
            {
                Thread.SpinWait(10);
            }
        }
    }

    private static void Sleep(long ticks)
    {
        var micros = ticks * 1_000_000 / Stopwatch.Frequency;
        if (micros <= 0)
        {
            return;
        }

        if (OperatingSystem.IsLinux())
        {
            _ = NativeMethods.usleep((uint)Math.Min(micros, 1_000_000));
        }
        else
        {
            Thread.Sleep(micros >= 2000 ? 1 : 0);
        }
    }
}
