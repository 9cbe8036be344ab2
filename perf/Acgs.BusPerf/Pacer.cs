// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;

namespace Acgs.BusPerf;

/// <summary>
/// Open-model producer. Arrivals are scheduled in 1 ms ticks of rate/1000 messages (tick k is due at
/// start + k ms) and every message carries its tick's intended time, so latency measured from it is
/// coordinated-omission-correct: a late producer, a stalled bus or queueing inside a tick all show up
/// as latency, never as fewer samples. Between ticks the thread sleeps: a finer schedule would need a
/// spinning thread, which on a 2-core machine takes the CPU the bus needs.
/// </summary>
internal static class Pacer
{
    public static void Run(IFramePoster poster, FrameTemplate template, int rate, long count, long firstSequence)
    {
        var frame = new byte[template.Length];
        var perTick = Math.Max(1, rate / 1000);
        var tickTicks = Stopwatch.Frequency / 1000;
        var start = Stopwatch.GetTimestamp();
        long sent = 0;
        long tick = 0;
        while (sent < count)
        {
            var now = Stopwatch.GetTimestamp();
            var dueTick = (now - start) / tickTicks;
            if (tick > dueTick)
            {
                Thread.Sleep(1);
                continue;
            }

            for (; tick <= dueTick && sent < count; tick++)
            {
                var intended = start + (tick * tickTicks);
                for (var i = 0; i < perTick && sent < count; i++, sent++)
                {
                    template.Fill(frame, firstSequence + sent, intended);
                    poster.Post(frame);
                }
            }

            poster.Flush();
        }
    }
}
