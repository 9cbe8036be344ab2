// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text;

namespace Acgs.BusPerf;

/// <summary>
/// The runtime's GC AllocationTick events (one per ~100 KB allocated, with the type of the object that
/// crossed the threshold): which types the bus host allocates, without a profiler. Enabled in the host
/// with <c>--alloc-types</c>; <see cref="Report"/> lists the sampled types, most sampled first.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    public void Clear() => _bytes.Clear();

    public string Report()
    {
        var builder = new StringBuilder();
        foreach (var (type, bytes) in _bytes.OrderByDescending(static p => p.Value).Take(8))
        {
            builder.Append(CultureInfo.InvariantCulture, $"{type}:{bytes};");
        }

        return builder.Length == 0 ? "none" : builder.ToString();
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.Payload is null || eventData.PayloadNames is null)
        {
            return;
        }

        var type = "?";
        long amount = 0;
        for (var i = 0; i < eventData.PayloadNames.Count; i++)
        {
            switch (eventData.PayloadNames[i])
            {
                case "TypeName":
                    type = (eventData.Payload[i] as string ?? "?").Replace(' ', '_');
                    break;
                case "AllocationAmount64":
                    amount = Convert.ToInt64(eventData.Payload[i], CultureInfo.InvariantCulture);
                    break;
                default:
                    break;
            }
        }

        _bytes.AddOrUpdate(type, amount, (_, total) => total + amount);
    }
}
