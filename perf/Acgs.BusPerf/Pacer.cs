// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.LoadTest.Running;

namespace Acgs.BusPerf;

/// <summary>
/// Open-model producer. Message i is due at start + i/rate and carries that intended time, so latency
/// measured from it is coordinated-omission-correct: a late producer, a stalled bus or queueing all show up
/// as latency, never as fewer samples. The thread wakes every <c>tickMicros</c> (default 100 µs) and sends
/// every message due by then, so pacing adds at most one tick plus the wake-up delay; it sleeps in between
/// with <see cref="PreciseWait"/> (perf/Acgs.LoadTest: Linux nanosleep with PR_SET_TIMERSLACK = 1 ns), so
/// it costs a few percent of a core, not a spinning core.
/// </summary>
internal static class Pacer
{
    /// <summary>Nice value of the pacer thread (as the HTTP perf lab's generator).</summary>
    public const int PacerNice = -10;

    public static void Run(IFramePoster poster, FrameTemplate template, int rate, long count, long firstSequence, int tickMicros)
    {
        // Like the HTTP perf lab's pacer (perf/Acgs.Perf LoadRuns: PacerNice -10): the generator's clock
        // thread is not the thing measured, so it gets the CPU first when it wakes; the calibration and the
        // run through the bus use this same pacer.
        PreciseWait.PrepareCurrentThread(nice: PacerNice);
        var frame = new byte[template.Length];
        var tickTicks = Math.Max(1, Stopwatch.Frequency * tickMicros / 1_000_000);
        var start = Stopwatch.GetTimestamp();
        long sent = 0;
        while (sent < count)
        {
            var now = Stopwatch.GetTimestamp();
            var due = Math.Min(count, ((now - start) * rate / Stopwatch.Frequency) + 1);
            if (sent < due)
            {
                for (; sent < due; sent++)
                {
                    template.Fill(frame, firstSequence + sent, start + (sent * Stopwatch.Frequency / rate));
                    poster.Post(frame);
                }

                poster.Flush();
            }

            var next = start + (sent * Stopwatch.Frequency / rate);
            PreciseWait.Until(Math.Max(next, now + tickTicks), spinTicks: 0, sleepTicks: 0, marginTicks: 0);
        }
    }
}
