// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Diagnostics;
using Acgs.LoadTest.Scenarios;
using HdrHistogram;

namespace Acgs.LoadTest.Stats;

/// <summary>Thread-safe, allocation-free accumulator of one phase's (or one named step's) results.</summary>
internal sealed class StatsSink
{
    private const int MaxStatus = 600;
    private readonly long[] _status = new long[MaxStatus];
    private readonly ConcurrentDictionary<string, StatsSink>? _steps;
    private long _ok;
    private long _fail;
    private long _transportErrors;
    private long _bytes;
    private long _poolWaits;
    private long _dispatched;
    private long _lastDispatch = long.MinValue;
    private long _lastEnd = long.MinValue;

    public StatsSink(bool withSteps)
    {
        _steps = withSteps ? new ConcurrentDictionary<string, StatsSink>(StringComparer.Ordinal) : null;
    }

    public Recorder Latency { get; } = Histograms.CreateRecorder();

    public Recorder ServiceTime { get; } = Histograms.CreateRecorder();

    public Recorder SchedulerLag { get; } = Histograms.CreateRecorder();

    public long Ok => Volatile.Read(ref _ok);

    public long Fail => Volatile.Read(ref _fail);

    public long TransportErrors => Volatile.Read(ref _transportErrors);

    public long Bytes => Volatile.Read(ref _bytes);

    public long PoolWaits => Volatile.Read(ref _poolWaits);

    public long Dispatched => Volatile.Read(ref _dispatched);

    public long LastDispatch => Volatile.Read(ref _lastDispatch);

    public long LastEnd => Volatile.Read(ref _lastEnd);

    public IEnumerable<KeyValuePair<string, StatsSink>> Steps => _steps ?? Enumerable.Empty<KeyValuePair<string, StatsSink>>();

    public StatsSink Step(string name) => _steps is null
        ? throw new InvalidOperationException("named steps are not tracked here")
        : _steps.GetOrAdd(name, static _ => new StatsSink(false));

    public void RecordDispatch(long intended, long actualStart)
    {
        Interlocked.Increment(ref _dispatched);
        InterlockedMax(ref _lastDispatch, actualStart);
        SchedulerLag.RecordValue(Histograms.TicksToNs(actualStart - intended));
    }

    public void RecordPoolWait() => Interlocked.Increment(ref _poolWaits);

    public void RecordCompletion(long intended, long sendStart, long end, in StepResult result)
    {
        Latency.RecordValue(Histograms.TicksToNs(end - intended));
        ServiceTime.RecordValue(Histograms.TicksToNs(end - sendStart));
        if (result.IsOk)
        {
            Interlocked.Increment(ref _ok);
        }
        else
        {
            Interlocked.Increment(ref _fail);
            if (result.IsTransportError)
            {
                Interlocked.Increment(ref _transportErrors);
            }
        }

        if ((uint)result.StatusCode < MaxStatus)
        {
            Interlocked.Increment(ref _status[result.StatusCode]);
        }

        if (result.Bytes > 0)
        {
            Interlocked.Add(ref _bytes, result.Bytes);
        }

        InterlockedMax(ref _lastEnd, end);
    }

    public Dictionary<int, long> StatusCodes()
    {
        var map = new Dictionary<int, long>();
        for (var i = 0; i < MaxStatus; i++)
        {
            var n = Volatile.Read(ref _status[i]);
            if (n > 0)
            {
                map[i] = n;
            }
        }

        return map;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    internal static long Now() => Stopwatch.GetTimestamp();
}
