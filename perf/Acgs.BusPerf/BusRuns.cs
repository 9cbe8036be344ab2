// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Bus.Client;
using Acgs.Contracts.BusWire;
using HdrHistogram;

namespace Acgs.BusPerf;

/// <summary>The three measurements: closed-window throughput with allocation, open-model latency, and its calibration.</summary>
internal static class BusRuns
{
    private const string Tenant = "perf";

    /// <summary>
    /// Pipelined sends with at most <paramref name="window"/> unacknowledged; returns acked messages per second.
    /// The first <paramref name="warmup"/> messages on the same two connections are not timed; after them
    /// every one is answered and the host is reset (latency histogram, allocation baseline), so the
    /// measured part is the steady state: connection setup and per-connection warm-up growth are excluded.
    /// </summary>
    public static async Task<(double PerSecond, long Errors)> ThroughputAsync(HostProcess host, int payload, long count, int window, long firstSequence, long warmup = 0)
    {
        long answered = 0;
        long errors = 0;
        using var gate = new ManualResetEventSlim(false);
        await using var consumer = await BusClient.ConnectAsync(host.EndPoint, new BusClientOptions("perf-consumer-" + firstSequence)
        {
            TenantId = Tenant,
            OnDelivery = static (in BusMessageView _, BusFrameFlagBits _) => { },
        });
        long sent = 0;
        await using var producer = await BusClient.ConnectAsync(host.EndPoint, new BusClientOptions("perf-producer-" + firstSequence)
        {
            TenantId = Tenant,
            OnReply = (_, code, _) =>
            {
                if (code != BusErrorCode.None)
                {
                    Interlocked.Increment(ref errors);
                }

                var done = Interlocked.Increment(ref answered);
                if (Volatile.Read(ref sent) - done < window / 2)
                {
                    gate.Set();
                }
            },
        });
        var template = new FrameTemplate(producer.Options.AgentId, consumer.Options.AgentId, Tenant, payload);
        var frame = new byte[template.Length];
        var started = Stopwatch.GetTimestamp();
        var total = warmup + count;
        await Task.Factory.StartNew(() =>
        {
            for (long i = 0; i < total; i++)
            {
                if (i == warmup && warmup > 0)
                {
                    while (Volatile.Read(ref answered) < warmup)
                    {
                        gate.Reset();
                        gate.Wait(10);
                    }

                    host.CommandAsync("reset").GetAwaiter().GetResult();
                    Interlocked.Exchange(ref errors, 0);
                    started = Stopwatch.GetTimestamp();
                }

                while (i - Volatile.Read(ref answered) >= window)
                {
                    gate.Reset();
                    if (i - Volatile.Read(ref answered) >= window)
                    {
                        gate.Wait(10);
                    }
                }

                template.Fill(frame, firstSequence + i, 0);
                Volatile.Write(ref sent, i + 1);
                producer.PostRaw(frame);
            }

            while (Volatile.Read(ref answered) < total)
            {
                gate.Reset();
                gate.Wait(10);
            }
        }, TaskCreationOptions.LongRunning);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return (count / seconds, errors);
    }

    /// <summary>
    /// Constant-rate run through the sidecar; latency from intended send time to delivery at the consumer.
    /// The first <paramref name="warmup"/> messages (their own paced run, recorded into a discarded histogram)
    /// warm the same two connections; once they are all delivered, <paramref name="measured"/> is called
    /// (host reset, CPU baselines) and the <paramref name="count"/> measured messages follow on those
    /// connections: connection setup and the JIT work it brings stay out of the measured window.
    /// </summary>
    public static async Task<(LongHistogram Latency, long Errors)> LatencyThroughBusAsync(HostProcess host, int payload, int rate, long warmup, long count, long firstSequence, int tickMicros, int ackDelayMicros, Func<Task> measured, SlowTimeline? timeline = null)
    {
        var latency = new LongHistogram(1, 60_000_000_000, 3);
        var target = new LongHistogram(1, 60_000_000_000, 3);
        SlowTimeline? targetTimeline = null;
        long answered = 0;
        long errors = 0;
        var goal = warmup;
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Answered()
        {
            // Signalled, not polled: no timer or thread-pool wake-ups (nor their JIT) in the measuring process.
            if (Interlocked.Increment(ref answered) == Volatile.Read(ref goal))
            {
                reached.TrySetResult();
            }
        }

        await using var consumer = await BusClient.ConnectAsync(host.EndPoint, new BusClientOptions("lat-consumer-" + firstSequence)
        {
            TenantId = Tenant,
            AckDelay = TimeSpan.FromMicroseconds(ackDelayMicros),
            OnDelivery = (in BusMessageView message, BusFrameFlagBits _) =>
            {
                DirectLoopback.Record(target, message.Payload, targetTimeline);
                Answered();
            },
        });
        await using var producer = await BusClient.ConnectAsync(host.EndPoint, new BusClientOptions("lat-producer-" + firstSequence)
        {
            TenantId = Tenant,
            OnReply = (_, code, _) =>
            {
                if (code != BusErrorCode.None)
                {
                    Interlocked.Increment(ref errors);
                    Answered();
                }
            },
        });
        var template = new FrameTemplate(producer.Options.AgentId, consumer.Options.AgentId, Tenant, payload);
        var poster = new ClientPoster(producer);
        await Task.Factory.StartNew(() => Pacer.Run(poster, template, rate, warmup, firstSequence, tickMicros), TaskCreationOptions.LongRunning);
        await WaitAsync(reached.Task);

        // Nothing is in flight to the consumer now: switch its recording to the measured histogram.
        target = latency;
        targetTimeline = timeline;
        reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref goal, long.MaxValue);
        Volatile.Write(ref answered, 0);
        Volatile.Write(ref errors, 0);
        Volatile.Write(ref goal, count);
        CollectSetupGarbage();
        await measured();
        timeline?.Start();
        await Task.Factory.StartNew(() => Pacer.Run(poster, template, rate, count, firstSequence + warmup, tickMicros), TaskCreationOptions.LongRunning);
        await WaitAsync(reached.Task);
        return (latency, Volatile.Read(ref errors));
    }

    /// <summary>The same constant-rate run straight from producer to consumer over loopback (calibration), warmed up the same way on the same connection.</summary>
    public static async Task<LongHistogram> LatencyDirectAsync(int payload, int rate, long warmup, long count, int tickMicros, Func<Task> measured, SlowTimeline? timeline = null)
    {
        var latency = new LongHistogram(1, 60_000_000_000, 3);
        await using var direct = await DirectLoopback.StartAsync(new LongHistogram(1, 60_000_000_000, 3));
        var template = new FrameTemplate("direct-producer", "direct-consumer", Tenant, payload);
        var reached = direct.WhenReceived(warmup);
        await Task.Factory.StartNew(() => Pacer.Run(direct, template, rate, warmup, 0, tickMicros), TaskCreationOptions.LongRunning);
        await WaitAsync(reached);

        direct.Measure(latency, timeline);
        reached = direct.WhenReceived(count);
        CollectSetupGarbage();
        await measured();
        timeline?.Start();
        await Task.Factory.StartNew(() => Pacer.Run(direct, template, rate, count, warmup, tickMicros), TaskCreationOptions.LongRunning);
        await WaitAsync(reached);
        return latency;
    }

    /// <summary>
    /// The connections, buffers and histograms of a run and its warm-up's garbage are collected here, before
    /// the measured pacer starts (calibration and bus run alike), so that a gen0 collection they would trigger
    /// does not pause the measured window.
    /// </summary>
    private static void CollectSetupGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>Waits for a run's last answer, at most 30 s (the caller reports what arrived).</summary>
    private static async Task WaitAsync(Task reached)
    {
        try
        {
            await reached.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
        }
    }
}
