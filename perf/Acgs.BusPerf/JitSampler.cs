// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Text;

namespace Acgs.BusPerf;

/// <summary>
/// Diagnostics (<c>--jit-events</c>): the methods the runtime compiles in this process while a measured
/// run is under way (MethodLoadVerbose events: tier-0, OSR, tier-1 and instrumented re-compilations).
/// Background compilation competes with the measured threads for the 2 CPUs.
/// </summary>
internal sealed class JitSampler : EventListener
{
    private const EventKeywords JitKeyword = (EventKeywords)0x10;
    private readonly ConcurrentQueue<string> _methods = new();

    public void Clear() => _methods.Clear();

    public string Report()
    {
        var builder = new StringBuilder();
        builder.Append(_methods.Count).Append(" methods compiled:");
        foreach (var method in _methods.Take(60))
        {
            builder.Append(' ').Append(method).Append(';');
        }

        return builder.ToString();
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, JitKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName?.StartsWith("MethodLoadVerbose", StringComparison.Ordinal) != true || eventData.Payload is null || eventData.PayloadNames is null)
        {
            return;
        }

        string? ns = null;
        string? name = null;
        for (var i = 0; i < eventData.PayloadNames.Count; i++)
        {
            switch (eventData.PayloadNames[i])
            {
                case "MethodNamespace":
                    ns = eventData.Payload[i] as string;
                    break;
                case "MethodName":
                    name = eventData.Payload[i] as string;
                    break;
                default:
                    break;
            }
        }

        _methods.Enqueue($"{ns}.{name}");
    }
}
