// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;

namespace Acgs.Core.Tests.CircuitBreaker;

/// <summary>
/// Many threads released at once by a <see cref="Barrier"/>, round after round, on dedicated
/// threads (not the thread pool, which a blocking barrier could starve on a 2-core machine).
/// </summary>
public sealed class CircuitBreakerConcurrencyTests
{
    private const int Threads = 8;
    private const int Rounds = 300;

    [Fact]
    public void TryAcquire_ManyCallersAfterResetTimeout_ExactlyOneTrialPerRound()
    {
        var f = new BreakerFixture();
        var permits = new CircuitPermit[Threads];

        RunRounds(
            Rounds,
            setup: _ =>
            {
                f.Breaker.Isolate();
                f.Time.Advance(BreakerFixture.ResetTimeout);
            },
            work: i => permits[i] = f.Breaker.TryAcquire(),
            check: round =>
            {
                Assert.Equal(1, permits.Count(p => p.IsAllowed));
                Assert.Equal(1, permits.Count(p => p.IsTrial));
                Assert.Equal(CircuitState.HalfOpen, f.Breaker.State);
                Assert.Equal(round + 1, f.Listener.Count(CircuitState.Open, CircuitState.HalfOpen));
            });
    }

    [Fact]
    public void TryAcquire_ManyCallersAfterAbandonedTrial_ExactlyOneTakesTheSlot()
    {
        var f = new BreakerFixture();
        var permits = new CircuitPermit[Threads];
        var trial = f.TakeTrial();

        RunRounds(
            Rounds,
            setup: _ => Assert.False(f.Breaker.Record(trial, CircuitOutcome.Abandoned)),
            work: i => permits[i] = f.Breaker.TryAcquire(),
            check: _ =>
            {
                Assert.Equal(1, permits.Count(p => p.IsTrial));
                Assert.Equal(1, permits.Count(p => p.IsAllowed));
                trial = permits.Single(p => p.IsTrial);
            });
    }

    [Fact]
    public void TryAcquire_ManyCallersWhileTrialSucceeds_NeverIssueASecondTrial()
    {
        // A caller racing the HalfOpen→Closed transition must get an ordinary permit (or a
        // rejection), never a trial permit whose failure would re-open the closed breaker.
        var f = new BreakerFixture();
        var permits = new CircuitPermit[Threads];
        var trial = default(CircuitPermit);

        RunRounds(
            Rounds,
            setup: _ =>
            {
                f.Breaker.Isolate();
                f.Time.Advance(BreakerFixture.ResetTimeout);
                trial = f.Breaker.TryAcquire();
                Assert.True(trial.IsTrial);
            },
            work: i =>
            {
                if (i == 0)
                {
                    f.Breaker.Record(trial, CircuitOutcome.Success);
                    return;
                }

                // Bounded spinning: on a loaded 2-core machine the recorder may not run for a while.
                var permit = f.Breaker.TryAcquire();
                for (var attempt = 0; !permit.IsAllowed && attempt < 20_000; attempt++)
                {
                    permit = f.Breaker.TryAcquire();
                }

                permits[i] = permit;
            },
            check: _ =>
            {
                Assert.Equal(CircuitState.Closed, f.Breaker.State);
                Assert.DoesNotContain(permits.Skip(1), p => p.IsTrial);
            });
    }

    [Fact]
    public void Record_ManyFailuresAtOnce_ExactlyOneTripsAndOneNotification()
    {
        var f = new BreakerFixture(failMax: 2);
        var permits = new CircuitPermit[Threads];
        var tripped = new bool[Threads];

        RunRounds(
            Rounds,
            setup: _ =>
            {
                f.Breaker.Reset();
                for (var i = 0; i < Threads; i++)
                {
                    permits[i] = f.Breaker.TryAcquire();
                }
            },
            work: i => tripped[i] = f.Breaker.Record(permits[i], CircuitOutcome.Failure),
            check: round =>
            {
                Assert.Equal(1, tripped.Count(t => t));
                Assert.Equal(CircuitState.Open, f.Breaker.State);
                Assert.Equal(round + 1, f.Listener.Count(CircuitState.Closed, CircuitState.Open));
            });

        Assert.Equal(Rounds - 1, f.Listener.Count(CircuitState.Open, CircuitState.Closed)); // the first round's Reset found it closed
    }

    [Fact]
    public void Record_ManyFailuresAtOnceBelowFailMax_CountsEveryOne()
    {
        var f = new BreakerFixture(failMax: Threads + 1);
        var permits = new CircuitPermit[Threads];

        RunRounds(
            Rounds,
            setup: _ =>
            {
                f.Breaker.Reset();
                for (var i = 0; i < Threads; i++)
                {
                    permits[i] = f.Breaker.TryAcquire();
                }
            },
            work: i => f.Breaker.Record(permits[i], CircuitOutcome.Failure),
            check: _ =>
            {
                Assert.Equal(Threads, f.Breaker.ConsecutiveFailures);
                Assert.Equal(CircuitState.Closed, f.Breaker.State);
            });
    }

    /// <summary>
    /// Runs <paramref name="rounds"/> rounds: the main thread runs <paramref name="setup"/>, then
    /// every worker runs <paramref name="work"/> at once, then the main thread runs <paramref name="check"/>.
    /// </summary>
    private static void RunRounds(int rounds, Action<int> setup, Action<int> work, Action<int> check)
    {
        using var barrier = new Barrier(Threads + 1);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var stop = 0;
        var workers = new Thread[Threads];
        for (var t = 0; t < Threads; t++)
        {
            var index = t;
            workers[t] = new Thread(() =>
            {
                while (true)
                {
                    barrier.SignalAndWait(); // start of round
                    if (Volatile.Read(ref stop) != 0)
                    {
                        return;
                    }

                    try
                    {
                        work(index);
                    }
                    catch (Exception ex)
                    {
                        failures.Enqueue(ex);
                    }

                    barrier.SignalAndWait(); // end of round
                }
            })
            { IsBackground = true, Name = $"breaker-test-{t}" };
            workers[t].Start();
        }

        try
        {
            for (var round = 0; round < rounds; round++)
            {
                setup(round);
                barrier.SignalAndWait();
                barrier.SignalAndWait();
                Assert.Empty(failures);
                check(round);
            }
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            barrier.SignalAndWait(TimeSpan.FromSeconds(10));
            foreach (var worker in workers)
            {
                worker.Join(TimeSpan.FromSeconds(10));
            }
        }
    }
}
