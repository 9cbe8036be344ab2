// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;

namespace Acgs.Perf.Lab;

/// <summary>
/// <c>Acgs.Perf.dll burn --fraction F --seconds S</c>: keeps a fraction of one core busy (spins F × 10 ms, sleeps the
/// rest of each 10 ms period) for at most S seconds, then exits by itself. <c>./acgs perf series</c> runs some gates
/// beside it to show the gate stays honest on a machine another process is using.
/// </summary>
internal static class CpuBurner
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(10);

    public static int Run(string[] args, TextWriter error)
    {
        double fraction = 0.5, seconds = 600;
        var problems = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--fraction" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f > 0 && f <= 1:
                    fraction = f;
                    i++;
                    break;
                case "--seconds" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && s <= 86_400:
                    seconds = s;
                    i++;
                    break;
                default:
                    problems.Add($"{args[i]}: expected --fraction (0, 1] or --seconds (0, 86400]");
                    i++;
                    break;
            }
        }

        if (problems.Count > 0)
        {
            foreach (var p in problems)
            {
                error.WriteLine("acgs perf burn: " + p);
            }

            return 2;
        }

        var busy = Period * fraction;
        var end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            var periodStart = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(periodStart) < busy)
            {
                Thread.SpinWait(64);
            }

            var rest = Period - Stopwatch.GetElapsedTime(periodStart);
            if (rest > TimeSpan.Zero)
            {
                Thread.Sleep(rest);
            }
        }

        return 0;
    }
}
