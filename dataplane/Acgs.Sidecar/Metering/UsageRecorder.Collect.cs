// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Contracts.Metering;

namespace Acgs.Sidecar.Metering;

internal sealed partial class UsageRecorder
{
    private readonly long[] _collected = new long[MaxSlots * Fields];

    /// <summary>
    /// The usage recorded since the previous call, one row per key that had any (single caller: the shipper). Reads
    /// each cumulative counter once: an add that races with the read is in this window or in the next, never in both.
    /// </summary>
    public List<MeteringRow> Collect()
    {
        var rows = new List<MeteringRow>();
        var slots = SlotCount;
        Span<long> sums = stackalloc long[Fields];
        for (var slot = 0; slot < slots; slot++)
        {
            sums.Clear();
            var at = slot * Fields;
            foreach (var stripe in _stripes)
            {
                for (var f = 0; f < Fields; f++)
                {
                    sums[f] += Volatile.Read(ref stripe[at + f]);
                }
            }

            var count = sums[0] - _collected[at];
            if (count == 0)
            {
                continue;
            }

            var duration = sums[3] - _collected[at + 3];
            rows.Add(RowOf(_slots.KeyOf(slot)) with
            {
                Count = count,
                RequestBytes = sums[1] - _collected[at + 1],
                ResponseBytes = sums[2] - _collected[at + 2],
                DurationUs = (long)(duration * (1_000_000.0 / Stopwatch.Frequency)),
            });
            sums.CopyTo(_collected.AsSpan(at, Fields));
        }

        return rows;
    }

    private MeteringRow RowOf(long key)
    {
        if (key < 0)
        {
            return new MeteringRow { Kind = MeteringKinds.Other, Source = MeteringKinds.Other, Operation = MeteringKinds.Other, Tenant = MeteringKinds.Other };
        }

        return new MeteringRow
        {
            Kind = (key >> 51 & 1) == 1 ? MeteringKinds.Bus : MeteringKinds.Http,
            StatusClass = (int)(key >> 48 & 7),
            Source = Names.NameOf((int)(key >> 32 & 0xFFFF)),
            Operation = Names.NameOf((int)(key >> 16 & 0xFFFF)),
            Tenant = Names.NameOf((int)(key & 0xFFFF)),
        };
    }
}
