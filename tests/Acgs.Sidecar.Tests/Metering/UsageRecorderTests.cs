// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Metering;
using Acgs.Sidecar.Metering;

namespace Acgs.Sidecar.Tests.Metering;

/// <summary>The usage recorder: exact deltas per key, exact under concurrent recording and collecting, bounded keys and names.</summary>
public sealed class UsageRecorderTests
{
    [Fact]
    public void Collect_TwoKeys_DeltasSinceLastCollect()
    {
        var recorder = new UsageRecorder();
        var (a, b, op, tenant) = (recorder.Names.IdOf("svc-a"), recorder.Names.IdOf("svc-b"), recorder.Names.IdOf("/api"), recorder.Names.IdOf("t1"));

        recorder.Record(false, a, op, tenant, 2, 10, 100, 0);
        recorder.Record(false, a, op, tenant, 2, 5, 50, 0);
        recorder.Record(false, b, op, tenant, 5, 0, 0, 0);
        var first = recorder.Collect();
        recorder.Record(false, a, op, tenant, 2, 1, 1, 0);
        var second = recorder.Collect();
        var third = recorder.Collect();

        Assert.Equal(2, first.Count);
        var rowA = Assert.Single(first, r => r.Source == "svc-a");
        Assert.Equal((2L, 15L, 150L, 2, "/api", "t1", MeteringKinds.Http), (rowA.Count, rowA.RequestBytes, rowA.ResponseBytes, rowA.StatusClass, rowA.Operation, rowA.Tenant, rowA.Kind));
        Assert.Equal(5, Assert.Single(first, r => r.Source == "svc-b").StatusClass);
        Assert.Equal((1L, 1L), (Assert.Single(second).Count, second[0].RequestBytes));
        Assert.Empty(third);
    }

    [Fact]
    public async Task Record_ConcurrentWithCollect_EveryRecordCountedOnce()
    {
        var recorder = new UsageRecorder();
        var ids = Enumerable.Range(0, 8).Select(i => recorder.Names.IdOf("caller-" + i)).ToArray();
        const int PerThread = 200_000;
        var collected = 0L;
        var done = 0;
        var writers = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                recorder.Record(i % 2 == 0, ids[(i + t) % ids.Length], 0, 0, 2, 1, 0, 0);
            }

            Interlocked.Increment(ref done);
        })).ToArray();
        while (Volatile.Read(ref done) < writers.Length)
        {
            collected += recorder.Collect().Sum(r => r.Count);
        }

        await Task.WhenAll(writers);
        collected += recorder.Collect().Sum(r => r.Count);

        Assert.Equal(4L * PerThread, collected);
    }

    [Fact]
    public void Record_PastMaxSlots_KeysShareOther()
    {
        var recorder = new UsageRecorder();
        for (var i = 0; i < UsageRecorder.MaxSlots + 100; i++)
        {
            recorder.Record(false, i % MeterNames.MaxNames, i / MeterNames.MaxNames, 0, 2, 0, 0, 0);
        }

        var rows = recorder.Collect();

        Assert.Equal(UsageRecorder.MaxSlots, recorder.SlotCount);
        Assert.Equal(UsageRecorder.MaxSlots + 100L, rows.Sum(r => r.Count));
        Assert.Equal(101, Assert.Single(rows, r => r.Kind == MeteringKinds.Other).Count); // slot 0 plus the 100 past the bound
    }

    [Fact]
    public void IdOf_BadOrTooManyNames_Other()
    {
        var names = new MeterNames();

        Assert.Equal(0, names.IdOf("with space"));
        Assert.Equal(0, names.IdOf(string.Empty));
        Assert.Equal(0, names.IdOf(new string('x', MeterNames.MaxNameLength + 1)));
        Assert.Equal(0, names.IdOf("caf\u00e9"u8.ToArray().AsSpan()));
        Assert.Equal(names.IdOf("agent-1"), names.IdOf("agent-1"u8));
        for (var i = names.Count; i < MeterNames.MaxNames; i++)
        {
            Assert.NotEqual(0, names.IdOf("n" + i));
        }

        Assert.Equal(0, names.IdOf("one-too-many"));
    }
}
