// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Diagnostics;
using Acgs.LoadTest.Simulations;

namespace Acgs.LoadTest.Running;

/// <summary>Paces one open-model phase on a dedicated thread: computes each request's intended
/// start, waits for it with <see cref="PreciseWait"/>, and hands the request with that intended
/// start to the thread pool. When the thread falls behind it dispatches immediately (never skips):
/// the lateness shows up as scheduler lag and in the corrected latency.</summary>
internal sealed class OpenModelPacer(PhaseState state, LoadSimulation simulation, ConcurrentQueue<RequestWorkItem> pool, RunOptions options, long phaseStart, long firstInvocation)
{
    private readonly TaskCompletionSource<long> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<long> RunAsync()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "acgs-loadtest-pacer" };
        thread.Start();
        return _done.Task;
    }

    private void Run()
    {
        try
        {
            PreciseWait.PrepareCurrentThread(options.PacerNice);
            var f = (double)Stopwatch.Frequency;
            var spin = (long)(options.SpinWindow.TotalSeconds * f);
            var sleep = (long)(options.SleepThreshold.TotalSeconds * f);
            var margin = (long)(options.SleepMargin.TotalSeconds * f);
            var count = simulation.IntendedCount;
            var invocation = firstInvocation;
            var token = state.CancellationToken;
            var inline = options.InlineDispatch;
            for (long i = 0; i < count && !token.IsCancellationRequested; i++)
            {
                var intended = phaseStart + (long)(simulation.IntendedOffsetSeconds(i) * f);
                PreciseWait.Until(intended, spin, sleep, margin);
                state.OnRequestStarted();
                var item = RequestWorkItem.Rent(pool, state, invocation++, intended);
                if (inline)
                {
                    item.Execute();
                }
                else
                {
                    ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
                }
            }

            // The phase lasts its full length even when the last request is due earlier.
            PreciseWait.Until(phaseStart + (long)(simulation.During.TotalSeconds * f), spin, sleep, margin);
            _done.TrySetResult(invocation);
        }
#pragma warning disable CA1031 // surfaced to the runner, which marks the run invalid
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _done.TrySetException(ex);
        }
    }
}
