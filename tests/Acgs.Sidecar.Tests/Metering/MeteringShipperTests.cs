// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Metering;
using Acgs.Sidecar.Metering;
using Acgs.Sidecar.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.Sidecar.Tests.Metering;

/// <summary>The shipper through a control-plane outage: windows kept and resent with their ids, the oldest dropped past the bound and counted.</summary>
public sealed class MeteringShipperTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 15, 0, 0, TimeSpan.Zero);

    private sealed class FakePlane
    {
        public bool Up { get; set; }

        public Dictionary<string, MeteringWindow> Stored { get; } = new(StringComparer.Ordinal);

        public int Batches { get; private set; }

        public Task<bool> SendAsync(MeteringBatch batch, CancellationToken cancellationToken)
        {
            Batches++;
            if (!Up)
            {
                throw new HttpRequestException("connection refused");
            }

            foreach (var window in batch.Windows)
            {
                Stored.TryAdd(window.Id, window);
            }

            return Task.FromResult(true);
        }
    }

    private static (MeteringShipper Shipper, UsageRecorder Recorder, MeteringMetrics Metrics, FakeTimeProvider Time) Create(FakePlane plane, int buffer)
    {
        var time = new FakeTimeProvider(Start);
        var recorder = new UsageRecorder();
        var metrics = new MeteringMetrics(new SidecarMetrics());
        var options = new MeteringOptions { BufferWindows = buffer };
        var shipper = new MeteringShipper(recorder, new MeteringBuffer(buffer, metrics), plane.SendAsync, options, "svc-m", "node-1", time, NullLogger<MeteringShipper>.Instance);
        return (shipper, recorder, metrics, time);
    }

    [Fact]
    public async Task Flush_OutageThenReconnect_EveryRequestOnceWithStableIds()
    {
        var plane = new FakePlane();
        var (shipper, recorder, _, time) = Create(plane, 100);
        for (var w = 0; w < 3; w++)
        {
            recorder.Record(false, 1, 0, 0, 2, 0, 0, 0);
            time.Advance(TimeSpan.FromSeconds(10));
            shipper.CloseWindow();
            Assert.False(await shipper.FlushAsync(CancellationToken.None));
        }

        plane.Up = true;
        Assert.True(await shipper.FlushAsync(CancellationToken.None));
        Assert.True(await shipper.FlushAsync(CancellationToken.None)); // nothing left: nothing sent twice

        Assert.Equal(3, plane.Stored.Count);
        Assert.Equal(3L, plane.Stored.Values.Sum(w => w.Rows.Sum(r => r.Count)));
        Assert.Equal(["svc-m/node-1/1796569200000/0", "svc-m/node-1/1796569210000/1", "svc-m/node-1/1796569220000/2"], plane.Stored.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(4, plane.Batches);
    }

    [Fact]
    public async Task CloseWindow_BufferFull_OldestDroppedAndCounted()
    {
        var plane = new FakePlane();
        var (shipper, recorder, metrics, time) = Create(plane, 2);
        for (var w = 0; w < 5; w++)
        {
            recorder.Record(false, 1, 0, 0, 2, 0, 0, 0);
            time.Advance(TimeSpan.FromSeconds(10));
            shipper.CloseWindow();
        }

        plane.Up = true;
        Assert.True(await shipper.FlushAsync(CancellationToken.None));

        Assert.Equal(3, metrics.Dropped.Value);
        Assert.Equal(["svc-m/node-1/1796569230000/3", "svc-m/node-1/1796569240000/4"], plane.Stored.Keys.Order(StringComparer.Ordinal).ToArray());
    }
}
