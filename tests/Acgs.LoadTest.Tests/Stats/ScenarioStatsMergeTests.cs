// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.LoadTest.Stats;
using HdrHistogram;
using Xunit;

namespace Acgs.LoadTest.Tests.Stats;

public sealed class ScenarioStatsMergeTests
{
    [Fact]
    public void Merge_TwoSlices_HistogramsAndCountsAddUp()
    {
        // Slice one: 9 fast requests (100 µs); slice two: 1 slow request (5 ms). Alone, slice one's
        // p90 is 0.1 ms; merged, the slow request is the top 10 % and p99 lands on it.
        var a = Stats("s", ok: 9, fail: 0, durationS: 1, rate: 9, latenciesNs: Repeat(100_000, 9), codes: new() { [200] = 9 });
        var b = Stats("s", ok: 0, fail: 1, durationS: 1, rate: 1, latenciesNs: [5_000_000], codes: new() { [503] = 1 });

        var m = ScenarioStatsMerge.Merge([a, b]);

        Assert.Equal(10, m.Latency.TotalCount);
        Assert.Equal(9, m.Ok);
        Assert.Equal(1, m.Fail);
        Assert.Equal(TimeSpan.FromSeconds(2), m.Duration);
        Assert.Equal(10, m.Intended);
        Assert.Equal(9, m.StatusCodes[200]);
        Assert.Equal(1, m.StatusCodes[503]);
        Assert.InRange(m.LatencyMs(50), 0.099, 0.101);
        Assert.InRange(m.LatencyMs(99), 4.99, 5.01);
        Assert.Equal(10.0, m.FailPercent, 6);
    }

    [Fact]
    public void Merge_SlicesAtTheirRates_RatesAreTotalsOverSummedTime()
    {
        // 6,000 requests in 1 s and 5,940 in 1 s: 11,940 over 2 s is 5,970/s, 99.5 % of 6,000/s.
        var a = Stats("s", ok: 6000, fail: 0, durationS: 1, rate: 6000, latenciesNs: [1000], codes: new() { [200] = 6000 }, achieved: 6000);
        var b = Stats("s", ok: 5940, fail: 0, durationS: 1, rate: 6000, latenciesNs: [1000], codes: new() { [200] = 5940 }, achieved: 5940);

        var m = ScenarioStatsMerge.Merge([a, b]);

        Assert.Equal(6000, m.TargetRate, 6);
        Assert.Equal(5970, m.AchievedRate, 6);
        Assert.True(m.OpenModel);
    }

    [Fact]
    public void Merge_DoesNotChangeTheParts()
    {
        var a = Stats("s", ok: 1, fail: 0, durationS: 1, rate: 1, latenciesNs: [1000], codes: new() { [200] = 1 });
        var b = Stats("s", ok: 1, fail: 0, durationS: 1, rate: 1, latenciesNs: [2000], codes: new() { [200] = 1 });

        _ = ScenarioStatsMerge.Merge([a, b]);

        Assert.Equal(1, a.Latency.TotalCount);
        Assert.Equal(1, b.Latency.TotalCount);
    }

    [Fact]
    public void Merge_PartsOfDifferentScenarios_Throws()
    {
        var a = Stats("a", ok: 1, fail: 0, durationS: 1, rate: 1, latenciesNs: [1000], codes: new() { [200] = 1 });
        var b = Stats("b", ok: 1, fail: 0, durationS: 1, rate: 1, latenciesNs: [1000], codes: new() { [200] = 1 });

        Assert.Throws<ArgumentException>(() => ScenarioStatsMerge.Merge([a, b]));
        Assert.Throws<ArgumentException>(() => ScenarioStatsMerge.Merge([]));
    }

    private static long[] Repeat(long value, int count) => Enumerable.Repeat(value, count).ToArray();

    internal static ScenarioStats Stats(string name, long ok, long fail, double durationS, double rate, long[] latenciesNs,
        Dictionary<int, long> codes, double? achieved = null)
    {
        var latency = Histograms.CreateHistogram();
        foreach (var ns in latenciesNs)
        {
            latency.RecordValue(ns);
        }

        HistogramBase empty = Histograms.CreateHistogram();
        var intended = (long)(rate * durationS);
        return new ScenarioStats
        {
            Name = name,
            OpenModel = true,
            Duration = TimeSpan.FromSeconds(durationS),
            TargetRate = rate,
            Intended = intended,
            Dispatched = ok + fail,
            Ok = ok,
            Fail = fail,
            TransportErrors = 0,
            Bytes = 0,
            PoolWaits = 0,
            SendRate = (ok + fail) / durationS,
            AchievedRate = achieved ?? (ok + fail) / durationS,
            StatusCodes = codes,
            Latency = latency,
            ServiceTime = empty,
            SchedulerLag = Histograms.CreateHistogram(),
            Steps = [],
            GeneratorCpuUsPerRequest = 10,
        };
    }
}
