// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.LoadTest.Stats;
using Xunit;

namespace Acgs.LoadTest.Tests.Stats;

public sealed class HistogramsTests
{
    [Fact]
    public void CreateRecorder_ManyThreadsRecordTheSameValue_NoCountIsLost()
    {
        // Four writers hammer one bucket: a recorder over a plain (non-atomic) histogram loses increments here,
        // which made a closed-model run's latency and service-time percentiles differ.
        const int Writers = 4;
        const int PerWriter = 2_000_000; // enough contention that a plain histogram reliably loses counts on two cores
        var recorder = Histograms.CreateRecorder();
        using var start = new Barrier(Writers);
        var threads = new Thread[Writers];
        for (var w = 0; w < Writers; w++)
        {
            threads[w] = new Thread(() =>
            {
                start.SignalAndWait();
                for (var i = 0; i < PerWriter; i++)
                {
                    recorder.RecordValue(5_000_000);
                }
            });
            threads[w].Start();
        }

        foreach (var t in threads)
        {
            t.Join();
        }

        var histogram = recorder.GetIntervalHistogram();
        Assert.Equal((long)Writers * PerWriter, histogram.TotalCount);
        Assert.Equal((long)Writers * PerWriter, histogram.GetCountAtValue(5_000_000));
    }
}
