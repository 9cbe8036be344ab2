// Constitutional Hash: cdd01ef066bc6cf2

using HdrHistogram;

namespace Acgs.LoadTest.Stats;

/// <summary>Combines the stats of several runs of the same scenario into one, as if their measured
/// phases had run back to back: counts and histograms add up, rates are totals over the summed time.
/// The perf lab measures a target in short slices interleaved with the other targets' slices (so a
/// slow drift of a shared machine hits every target alike) and merges a target's slices into its
/// round.</summary>
public static class ScenarioStatsMerge
{
    /// <summary>Merges <paramref name="parts"/> (at least one) into a new <see cref="ScenarioStats"/>;
    /// the parts are not changed.</summary>
    /// <exception cref="ArgumentException">No parts, or parts of different scenarios.</exception>
    public static ScenarioStats Merge(IReadOnlyList<ScenarioStats> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("nothing to merge", nameof(parts));
        }

        var first = parts[0];
        var latency = Histograms.CreateHistogram();
        var service = Histograms.CreateHistogram();
        var lag = Histograms.CreateHistogram();
        var codes = new Dictionary<int, long>();
        var steps = new Dictionary<string, (long Ok, long Fail, Dictionary<int, long> Codes, HistogramBase Latency)>(StringComparer.Ordinal);
        var stepOrder = new List<string>();
        var open = true;
        var duration = TimeSpan.Zero;
        long intended = 0, dispatched = 0, ok = 0, fail = 0, transport = 0, bytes = 0, poolWaits = 0;
        double dispatchSeconds = 0, completionSeconds = 0, cpuUs = 0;
        foreach (var p in parts)
        {
            ArgumentNullException.ThrowIfNull(p);
            if (!string.Equals(p.Name, first.Name, StringComparison.Ordinal))
            {
                throw new ArgumentException($"parts of different scenarios: '{first.Name}' and '{p.Name}'", nameof(parts));
            }

            open &= p.OpenModel;
            duration += p.Duration;
            intended += p.Intended;
            dispatched += p.Dispatched;
            ok += p.Ok;
            fail += p.Fail;
            transport += p.TransportErrors;
            bytes += p.Bytes;
            poolWaits += p.PoolWaits;
            dispatchSeconds += SecondsAt(p.Dispatched, p.SendRate, p.Duration);
            completionSeconds += SecondsAt(p.Requests, p.AchievedRate, p.Duration);
            cpuUs += p.GeneratorCpuUsPerRequest * p.Requests;
            latency.Add(p.Latency);
            service.Add(p.ServiceTime);
            lag.Add(p.SchedulerLag);
            AddCodes(codes, p.StatusCodes);
            foreach (var s in p.Steps)
            {
                if (!steps.TryGetValue(s.Name, out var acc))
                {
                    acc = (0, 0, new Dictionary<int, long>(), Histograms.CreateHistogram());
                    stepOrder.Add(s.Name);
                }

                AddCodes(acc.Codes, s.StatusCodes);
                acc.Latency.Add(s.Latency);
                steps[s.Name] = (acc.Ok + s.Ok, acc.Fail + s.Fail, acc.Codes, acc.Latency);
            }
        }

        var mergedSteps = new List<StepStats>(stepOrder.Count);
        foreach (var name in stepOrder)
        {
            var s = steps[name];
            mergedSteps.Add(new StepStats { Name = name, Ok = s.Ok, Fail = s.Fail, StatusCodes = s.Codes, Latency = s.Latency });
        }

        var completed = ok + fail;
        return new ScenarioStats
        {
            Name = first.Name,
            OpenModel = open,
            Duration = duration,
            TargetRate = open && duration > TimeSpan.Zero ? intended / duration.TotalSeconds : 0,
            Intended = open ? intended : 0,
            Dispatched = dispatched,
            Ok = ok,
            Fail = fail,
            TransportErrors = transport,
            Bytes = bytes,
            PoolWaits = poolWaits,
            SendRate = dispatchSeconds > 0 ? dispatched / dispatchSeconds : 0,
            AchievedRate = completionSeconds > 0 ? completed / completionSeconds : 0,
            StatusCodes = codes,
            Latency = latency,
            ServiceTime = service,
            SchedulerLag = lag,
            Steps = mergedSteps,
            GeneratorCpuUsPerRequest = completed == 0 ? 0 : cpuUs / completed,
        };
    }

    // The time over which a part's rate was computed (rate = count / span), so merged rates are
    // totals over the summed spans; a part without a rate counts with its measured duration.
    private static double SecondsAt(long count, double rate, TimeSpan duration) =>
        rate > 0 && count > 0 ? count / rate : duration.TotalSeconds;

    private static void AddCodes(Dictionary<int, long> into, IReadOnlyDictionary<int, long> codes)
    {
        foreach (var (code, n) in codes)
        {
            into[code] = into.GetValueOrDefault(code) + n;
        }
    }
}
