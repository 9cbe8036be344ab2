// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using Acgs.ControlPlane.Distribution;

namespace Acgs.Perf.Convergence;

/// <summary>Measurement helpers of <see cref="ConvergenceBenchmark"/>.</summary>
internal static partial class ConvergenceBenchmark
{
    /// <summary>Time for <paramref name="count"/> concurrent trivial requests: what the machine needs for the ACK round trips alone.</summary>
    private static async Task<double> CalibrateAsync(HttpClient http, int count)
    {
        var start = Stopwatch.GetTimestamp();
        var tasks = new Task<HttpResponseMessage>[count];
        for (var i = 0; i < count; i++)
        {
            tasks[i] = http.GetAsync("/health/live");
        }

        foreach (var response in await Task.WhenAll(tasks).ConfigureAwait(false))
        {
            response.Dispose();
        }

        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static string Median(List<RebuildTimings> timings, Func<RebuildTimings, TimeSpan> phase)
    {
        var values = timings.Select(t => phase(t).TotalMilliseconds).ToList();
        values.Sort();
        return Percentile(values, 50).ToString("F1", CultureInfo.InvariantCulture);
    }

    private static int SnapshotBytes(DistributionHub hub) =>
        hub.CurrentSnapshot("svc-0") is { } snapshot ? DistributionEndpoints.SnapshotLine(snapshot, Guid.Empty.ToString("N")).Length : 0;

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static async Task Send(Task<HttpResponseMessage> request)
    {
        using var response = await request.ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
        }
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException("watchers did not converge within " + timeout);
            }

            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    private static double Percentile(List<double> sorted, double percentile)
    {
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    private static int Option(string[] args, string name, int fallback, int least = 1)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= least ? value : fallback;
    }
}
