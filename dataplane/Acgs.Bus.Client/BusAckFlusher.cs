// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;

namespace Acgs.Bus.Client;

/// <summary>
/// Writes the acks that <see cref="BusClientOptions.AckDelay"/> holds when traffic stops: one background
/// thread per process, shared by every coalescing <see cref="BusClient"/>. A client registers when it starts
/// holding acks; the thread sleeps until the earliest time a registered client's held acks fall due, writes
/// those that are due and no read batch wrote first, and forgets a client once it holds none. It idles on an
/// event when no client is registered. This replaces a <see cref="Timer"/> re-armed for every ack-holding
/// period: the timer's queue thread, the thread-pool hop of each callback and the re-arm signal cost more
/// CPU per message (compare with perf/Acgs.BusPerf) than this one thread waking once per delay.
/// </summary>
internal static class BusAckFlusher
{
    private static readonly Lock Gate = new();
    private static readonly List<BusClient> Registered = [];
    private static readonly ManualResetEventSlim Wake = new(false, spinCount: 0);
    private static BusClient[] s_snapshot = new BusClient[4];
    private static Thread? s_thread;

    /// <summary>Starts watching <paramref name="client"/>'s held acks (once per holding period; the client tracks that).</summary>
    public static void Register(BusClient client)
    {
        lock (Gate)
        {
            Registered.Add(client);
            if (s_thread is null)
            {
                s_thread = new Thread(Run) { IsBackground = true, Name = "Acgs bus acks" };
                s_thread.Start();
            }
        }

        Wake.Set();
    }

    private static void Run()
    {
        while (true)
        {
            int count;
            lock (Gate)
            {
                // A Register after this sets Wake again, so the wait below ends at once and looks at it.
                Wake.Reset();
                count = Registered.Count;
                if (count > 0)
                {
                    if (s_snapshot.Length < count)
                    {
                        s_snapshot = new BusClient[Math.Max(count, s_snapshot.Length * 2)];
                    }

                    Registered.CopyTo(s_snapshot);
                }
            }

            if (count == 0)
            {
                Wake.Wait();
                continue;
            }

            var next = long.MaxValue;
            for (var i = 0; i < count; i++)
            {
                var client = s_snapshot[i];
                s_snapshot[i] = null!;
                var due = client.FlushHeldAcksWhenDue();
                if (due == long.MaxValue)
                {
                    lock (Gate)
                    {
                        Registered.Remove(client);
                    }
                }
                else
                {
                    next = Math.Min(next, due);
                }
            }

            if (next != long.MaxValue)
            {
                var wait = next - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    // Millisecond resolution, rounded up: acks are written at most ~1 ms after they fall due.
                    Wake.Wait((int)Math.Min(int.MaxValue, Math.Ceiling(wait * 1000.0 / Stopwatch.Frequency)));
                }
            }
        }
    }
}
