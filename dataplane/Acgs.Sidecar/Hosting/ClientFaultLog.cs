// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// Client faults and survivable resource errors (a bad chunk size, a malformed request, a reset, a full listener,
/// EMFILE) are counted in <c>acgs_client_faults_total{cause}</c> every time and logged at most once per cause per
/// <see cref="Interval"/>, with how many were not logged since — one line, never a stack trace — so a flood of bad
/// requests cannot flood the log (docs/limits.md).
/// </summary>
internal sealed partial class ClientFaultLog
{
    /// <summary>At most one line per cause per interval.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private static readonly Dictionary<ForwarderError, string> ForwarderCauses = BuildForwarderCauses();

    private readonly ConcurrentDictionary<string, Entry> _causes = new(StringComparer.Ordinal);
    private readonly ConnectionMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the log.</summary>
    public ClientFaultLog(ConnectionMetrics metrics, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _metrics = metrics;
        _time = time;
        _logger = loggers.CreateLogger("Acgs.Sidecar.ClientFaults");
    }

    /// <summary>
    /// Counts a forwarding error YARP reported (<see cref="IForwarderErrorFeature"/>) under the cause
    /// <c>forwarder_&lt;error&gt;</c>, with the innermost exception's message as the detail (YARP's own log of it, an
    /// exception with its stack trace per request, is switched off in <see cref="SidecarHost"/>).
    /// </summary>
    public void RecordForwarderError(IForwarderErrorFeature error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.Error == ForwarderError.None)
        {
            return;
        }

        var cause = ForwarderCauses.TryGetValue(error.Error, out var known) ? known : "forwarder_other";
        Record(cause, null, error.Exception);
    }

    /// <summary>Counts one fault of <paramref name="cause"/> and logs <paramref name="detail"/> unless this cause was logged within the interval.</summary>
    public void Record(string cause, string detail) => Record(cause, detail, null);

    /// <summary>Counts one fault of <paramref name="cause"/>; the detail, when it is logged, is <paramref name="error"/>'s innermost message.</summary>
    public void RecordError(string cause, Exception? error) => Record(cause, null, error);

    private void Record(string cause, string? detail, Exception? error)
    {
        var entry = _causes.GetOrAdd(cause, static (c, m) => new Entry(m.Fault(c)), _metrics);
        entry.Counter.Inc();
        var now = _time.GetTimestamp();
        long suppressed;
        lock (entry)
        {
            if (entry.LastLogged != 0 && _time.GetElapsedTime(entry.LastLogged, now) < Interval)
            {
                entry.Suppressed++;
                return;
            }

            suppressed = entry.Suppressed;
            entry.Suppressed = 0;
            entry.LastLogged = now;
        }

        LogFault(cause, detail ?? (error?.GetBaseException().Message ?? "no detail").ReplaceLineEndings(" "), suppressed, Interval.TotalSeconds);
    }

    private static Dictionary<ForwarderError, string> BuildForwarderCauses()
    {
        var causes = new Dictionary<ForwarderError, string>();
        foreach (var value in Enum.GetValues<ForwarderError>())
        {
            causes[value] = "forwarder_" + value.ToString();
        }

        return causes;
    }

    [LoggerMessage(EventId = 160, Level = LogLevel.Warning, Message = "[cdd01ef066bc6cf2] client fault '{Cause}': {Detail} ({Suppressed} more not logged in the last {IntervalSeconds} s; every one is counted in acgs_client_faults_total)")]
    private partial void LogFault(string cause, string detail, long suppressed, double intervalSeconds);

    private sealed class Entry(Prometheus.Counter.Child counter)
    {
        public Prometheus.Counter.Child Counter { get; } = counter;

        public long LastLogged { get; set; }

        public long Suppressed { get; set; }
    }
}
