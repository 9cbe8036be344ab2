// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Acgs.LoadTest.Scenarios;
using Acgs.LoadTest.Simulations;
using Acgs.LoadTest.Stats;
using Acgs.LoadTest.Thresholds;

namespace Acgs.LoadTest.Running;

/// <summary>Runs a scenario: init, warm-up (discarded), the measured simulations, drain, clean;
/// then evaluates validity and thresholds.</summary>
public static class ScenarioRunner
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Runs <paramref name="scenario"/> and returns its result (never throws for run failures:
    /// they make the result invalid).</summary>
    public static async Task<RunResult> RunAsync(Scenario scenario, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        options ??= new RunOptions();
        var errors = new List<string>(options.Validate());
        errors.AddRange(ValidateScenario(scenario));
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid load test: " + string.Join("; ", errors), nameof(scenario));
        }

        var invalid = new List<string>();
        var pool = new ConcurrentQueue<RequestWorkItem>();
        StatsSink? sink = null;
        long t0 = 0, elapsedTicks = 0;
        var cpu = TimeSpan.Zero;
        try
        {
            if (scenario.Init is not null)
            {
                await scenario.Init(cancellationToken).ConfigureAwait(false);
            }

            if (scenario.WarmUp > TimeSpan.Zero)
            {
                var warm = new PhaseState(scenario, new StatsSink(true), cancellationToken);
                await RunPhasesAsync(warm, [WarmUpShape(scenario.Simulations[0], scenario.WarmUp)], pool, options).ConfigureAwait(false);
                await DrainAsync(warm, options).ConfigureAwait(false);
            }

            sink = new StatsSink(true);
            var measured = new PhaseState(scenario, sink, cancellationToken);
            var cpu0 = Environment.CpuUsage.TotalTime;
            t0 = await RunPhasesAsync(measured, scenario.Simulations, pool, options).ConfigureAwait(false);
            if (!await DrainAsync(measured, options).ConfigureAwait(false))
            {
                invalid.Add(string.Create(Inv, $"{measured.InFlight} requests still in flight {options.DrainTimeout.TotalSeconds} s after the last phase"));
            }

            elapsedTicks = Stopwatch.GetTimestamp() - t0;
            cpu = Environment.CpuUsage.TotalTime - cpu0;
        }
#pragma warning disable CA1031 // any failure of the run itself makes it invalid (exit code 2)
        catch (Exception ex)
#pragma warning restore CA1031
        {
            invalid.Add($"run failed: {ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            if (scenario.Clean is not null)
            {
                try
                {
                    await scenario.Clean(CancellationToken.None).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // a failing clean hook is reported, not thrown
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    invalid.Add($"clean failed: {ex.GetType().Name}: {ex.Message}");
                }
            }
        }

        if (sink is null || elapsedTicks == 0)
        {
            return new RunResult { InvalidReasons = invalid };
        }

        var stats = BuildStats(scenario, sink, t0, elapsedTicks, cpu);
        Validate(stats, options, invalid);
        return new RunResult { Stats = stats, Thresholds = Evaluate(scenario.Thresholds, stats), InvalidReasons = invalid };
    }

    private static List<string> ValidateScenario(Scenario scenario)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(scenario.Name))
        {
            errors.Add("scenario name is empty");
        }

        if (scenario.Simulations.Count == 0)
        {
            errors.Add("no load simulation");
        }

        if (scenario.WarmUp < TimeSpan.Zero)
        {
            errors.Add("warm-up is negative");
        }

        foreach (var sim in scenario.Simulations)
        {
            if (sim.During <= TimeSpan.Zero)
            {
                errors.Add($"{sim.GetType().Name}: During must be positive");
            }

            switch (sim)
            {
                case InjectSimulation { Rate: <= 0 }:
                    errors.Add("Inject: rate must be positive");
                    break;
                case RampingInjectSimulation r when r.FromRate <= 0 || r.ToRate <= 0:
                    errors.Add("RampingInject: rates must be positive");
                    break;
                case KeepConstantSimulation { Copies: <= 0 }:
                    errors.Add("KeepConstant: copies must be positive");
                    break;
                default:
                    break;
            }
        }

        return errors;
    }

    private static LoadSimulation WarmUpShape(LoadSimulation first, TimeSpan during) => first switch
    {
        InjectSimulation i => i with { During = during },
        RampingInjectSimulation r => LoadSimulation.Inject(r.FromRate, during),
        KeepConstantSimulation k => k with { During = during },
        _ => throw new NotSupportedException(first.GetType().Name),
    };

    /// <summary>Runs the simulations one after another; returns the Stopwatch timestamp they started at.
    /// Open phases are paced on a dedicated thread; in-flight requests are not awaited here.</summary>
    private static async Task<long> RunPhasesAsync(PhaseState state, IReadOnlyList<LoadSimulation> simulations, ConcurrentQueue<RequestWorkItem> pool, RunOptions options)
    {
        var start = Stopwatch.GetTimestamp();
        var phaseStart = start;
        long invocation = 0;
        foreach (var sim in simulations)
        {
            var phaseEnd = phaseStart + (long)(sim.During.TotalSeconds * Stopwatch.Frequency);
            if (sim.IsOpen)
            {
                var pacer = new OpenModelPacer(state, sim, pool, options, phaseStart, invocation);
                invocation = await pacer.RunAsync().ConfigureAwait(false);
            }
            else
            {
                var copies = ((KeepConstantSimulation)sim).Copies;
                var loops = new Task[copies];
                var counter = invocation;
                for (var c = 0; c < copies; c++)
                {
                    var loop = new ClosedLoopContext(state);
                    loops[c] = Task.Run(() => loop.RunAsync(phaseEnd, () => Interlocked.Increment(ref counter)));
                }

                await Task.WhenAll(loops).ConfigureAwait(false);
                invocation = counter;
            }

            phaseStart = Math.Max(phaseEnd, Stopwatch.GetTimestamp());
        }

        state.OnRequestCompleted(); // release the pacer's own reference
        return start;
    }

    private static async Task<bool> DrainAsync(PhaseState state, RunOptions options)
    {
        var done = await Task.WhenAny(state.Drained, Task.Delay(options.DrainTimeout)).ConfigureAwait(false);
        return done == state.Drained;
    }

    private static ScenarioStats BuildStats(Scenario scenario, StatsSink sink, long t0, long elapsedTicks, TimeSpan cpu)
    {
        long intended = 0;
        var duration = TimeSpan.Zero;
        var allOpen = true;
        foreach (var sim in scenario.Simulations)
        {
            intended += sim.IntendedCount;
            duration += sim.During;
            allOpen &= sim.IsOpen;
        }

        var seconds = duration.TotalSeconds;
        var completed = sink.Ok + sink.Fail;
        double sendRate, achieved;
        if (allOpen)
        {
            var dispatchSpan = Math.Max(seconds, (double)(sink.LastDispatch - t0) / Stopwatch.Frequency);
            var completionSpan = Math.Max(seconds, (double)(sink.LastEnd - t0) / Stopwatch.Frequency);
            sendRate = sink.Dispatched / dispatchSpan;
            achieved = completed / completionSpan;
        }
        else
        {
            var span = (double)elapsedTicks / Stopwatch.Frequency;
            sendRate = sink.Dispatched / span;
            achieved = completed / span;
        }

        var steps = new List<StepStats>();
        foreach (var (name, s) in sink.Steps)
        {
            steps.Add(new StepStats { Name = name, Ok = s.Ok, Fail = s.Fail, StatusCodes = s.StatusCodes(), Latency = s.Latency.GetIntervalHistogram() });
        }

        return new ScenarioStats
        {
            Name = scenario.Name,
            OpenModel = allOpen,
            Duration = duration,
            TargetRate = allOpen ? intended / seconds : 0,
            Intended = allOpen ? intended : 0,
            Dispatched = sink.Dispatched,
            Ok = sink.Ok,
            Fail = sink.Fail,
            TransportErrors = sink.TransportErrors,
            Bytes = sink.Bytes,
            PoolWaits = sink.PoolWaits,
            SendRate = sendRate,
            AchievedRate = achieved,
            StatusCodes = sink.StatusCodes(),
            Latency = sink.Latency.GetIntervalHistogram(),
            ServiceTime = sink.ServiceTime.GetIntervalHistogram(),
            SchedulerLag = sink.SchedulerLag.GetIntervalHistogram(),
            Steps = steps,
            GeneratorCpuUsPerRequest = completed == 0 ? 0 : cpu.TotalMicroseconds / completed,
        };
    }

    internal static void Validate(ScenarioStats stats, RunOptions options, List<string> invalid)
    {
        if (stats.Requests == 0)
        {
            invalid.Add("no request completed");
        }
        else if (stats.TransportErrors == stats.Requests)
        {
            invalid.Add(string.Create(Inv, $"no request got a response ({stats.TransportErrors} transport errors): target unreachable"));
        }

        if (stats.OpenModel)
        {
            if (stats.SendRate < options.MinSendRateRatio * stats.TargetRate)
            {
                invalid.Add(string.Create(Inv, $"generator lagged: sent {stats.SendRate:0.#}/s, below {options.MinSendRateRatio:P0} of the target {stats.TargetRate:0.#}/s"));
            }

            var lag = stats.LagMs(99);
            if (lag > options.MaxSchedulerLagP99.TotalMilliseconds)
            {
                invalid.Add(string.Create(Inv, $"generator lagged: scheduler lag p99 {lag:0.###} ms > {options.MaxSchedulerLagP99.TotalMilliseconds} ms"));
            }
        }
    }

    internal static List<ThresholdResult> Evaluate(IReadOnlyList<Threshold> thresholds, ScenarioStats stats)
    {
        var results = new List<ThresholdResult>(thresholds.Count);
        foreach (var t in thresholds)
        {
            bool passed;
            string actual;
            try
            {
                passed = t.Check(stats);
                actual = t.Actual(stats);
            }
#pragma warning disable CA1031 // a threshold that throws does not hold
            catch (Exception ex)
#pragma warning restore CA1031
            {
                passed = false;
                actual = "error: " + ex.Message;
            }

            results.Add(new ThresholdResult(t.Description, passed, actual));
        }

        return results;
    }
}
