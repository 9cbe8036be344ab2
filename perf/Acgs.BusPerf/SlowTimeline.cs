// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Acgs.BusPerf;

/// <summary>
/// Diagnostics for the latency tail (<c>--timeline</c>): per millisecond of intended send time, how many
/// messages took longer than 1 ms; <see cref="Describe"/> groups them into episodes (runs of such
/// milliseconds at most 2 ms apart), so a periodic stall shows as episodes at a regular spacing.
/// Recording is one array increment on the consumer's thread.
/// </summary>
internal sealed class SlowTimeline(int milliseconds)
{
    private long _origin = Stopwatch.GetTimestamp();

    private const long SlowNanoseconds = 1_000_000;
    private readonly int[] _slow = new int[milliseconds + 2000];
    private readonly long[] _max = new long[milliseconds + 2000];

    /// <summary>Sets the origin (the measured run's start).</summary>
    public void Start() => _origin = Stopwatch.GetTimestamp();

    public void Note(long intendedTicks, long latencyNanoseconds)
    {
        if (latencyNanoseconds <= SlowNanoseconds)
        {
            return;
        }

        var ms = (intendedTicks - _origin) * 1000 / Stopwatch.Frequency;
        if (ms >= 0 && ms < _slow.Length)
        {
            _slow[ms]++;
            _max[ms] = Math.Max(_max[ms], latencyNanoseconds);
        }
    }

    public string Describe()
    {
        var text = new StringBuilder();
        var episodes = 0;
        var total = 0;
        for (var ms = 0; ms < _slow.Length; ms++)
        {
            if (_slow[ms] == 0)
            {
                continue;
            }

            var start = ms;
            var count = 0;
            long max = 0;
            var last = ms;
            for (; ms < _slow.Length && ms <= last + 2; ms++)
            {
                if (_slow[ms] > 0)
                {
                    count += _slow[ms];
                    max = Math.Max(max, _max[ms]);
                    last = ms;
                }
            }

            ms = last;
            episodes++;
            total += count;
            text.Append(CultureInfo.InvariantCulture, $" @{start}ms+{last - start + 1}:{count}({max / 1000}µs)");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{total} messages over 1 ms in {episodes} episodes (origin {_origin / (double)Stopwatch.Frequency:F6} s):{text}");
    }
}
