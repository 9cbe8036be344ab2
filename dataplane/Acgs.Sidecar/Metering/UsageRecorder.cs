// Constitutional Hash: cdd01ef066bc6cf2

using System.Numerics;

namespace Acgs.Sidecar.Metering;

/// <summary>
/// The sidecar's usage counters: per key (kind, caller, operation, tenant, status class) a count, request and response
/// bytes and a duration sum, aggregated per core. A key becomes a slot index once (at most <see cref="MaxSlots"/>; keys
/// past that share slot 0, <c>other</c>); each core (<see cref="Thread.GetCurrentProcessorId"/>) adds to its own stripe
/// of cumulative counters with uncontended interlocked adds. <see cref="Record"/> takes no lock, allocates nothing once
/// its key has a slot, and never throws for any input. <see cref="Collect"/> (one caller, the shipper) sums the stripes
/// and returns the deltas since its previous call: an add lands in exactly one collected window.
/// </summary>
internal sealed partial class UsageRecorder
{
    /// <summary>Most distinct keys.</summary>
    public const int MaxSlots = 2048;

    /// <summary>Counters per slot: count, request bytes, response bytes, duration ticks.</summary>
    private const int Fields = 4;

    private readonly BoundedIndex<long> _slots = new(MaxSlots, other: -1); // slot 0 is "other"
    private readonly long[][] _stripes;
    private readonly int _mask;

    public UsageRecorder()
    {
        var stripes = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 1, 64));
        _mask = stripes - 1;
        _stripes = new long[stripes][];
        for (var i = 0; i < stripes; i++)
        {
            _stripes[i] = new long[MaxSlots * Fields];
        }
    }

    /// <summary>The dimension names (shared by every key).</summary>
    public MeterNames Names { get; } = new();

    /// <summary>Keys with a slot so far (with <c>other</c>).</summary>
    public int SlotCount => _slots.Count;

    /// <summary>
    /// Adds one request or message. <paramref name="source"/>, <paramref name="operation"/> and <paramref name="tenant"/>
    /// are ids of <see cref="Names"/>; <paramref name="statusClass"/> 0–7.
    /// </summary>
    public void Record(bool bus, int source, int operation, int tenant, int statusClass, long requestBytes, long responseBytes, long durationTicks)
    {
        var key = ((bus ? 1L : 0L) << 51) | ((long)(statusClass & 7) << 48) | ((long)(source & 0xFFFF) << 32) | ((long)(operation & 0xFFFF) << 16) | (long)(tenant & 0xFFFF);
        if (!_slots.Ids.TryGetValue(key, out var slot))
        {
            slot = _slots.Add(key);
        }

        var stripe = _stripes[Thread.GetCurrentProcessorId() & _mask];
        var at = slot * Fields;
        Interlocked.Increment(ref stripe[at]);
        if (requestBytes > 0)
        {
            Interlocked.Add(ref stripe[at + 1], requestBytes);
        }

        if (responseBytes > 0)
        {
            Interlocked.Add(ref stripe[at + 2], responseBytes);
        }

        if (durationTicks > 0)
        {
            Interlocked.Add(ref stripe[at + 3], durationTicks);
        }
    }
}
