// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Acgs.Core;

namespace Acgs.Perf.Convergence;

/// <summary>
/// <c>--curve 100,1000,5000</c>: one benchmark run per point, each in its own process (so each point's memory is its own),
/// <c>--per-service</c> watchers per service (default 20); writes <c>convergence.json</c> and <c>convergence.md</c> to
/// <c>--out</c> (default <c>perf/results/&lt;timestamp&gt;-convergence/</c>). A point whose watchers need more file
/// descriptors than this process may open (two per watcher in one process) is reported as skipped, not run.
/// </summary>
internal static class CurveRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        var at = Array.IndexOf(args, "--curve");
        var points = args[at + 1].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList();
        var perService = Option(args, "--per-service", 20);
        var activations = Option(args, "--activations", 10);
        var warmup = Option(args, "--warmup", 2);
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var output = Array.IndexOf(args, "--out") is var o && o >= 0 && o + 1 < args.Length ? args[o + 1] : Path.Combine(RepositoryRoot(), "perf", "results", stamp + "-convergence");
        Directory.CreateDirectory(output);
        var command = "dotnet run -c Release --project perf/Acgs.Perf.Convergence -- " + string.Join(' ', args.Where((_, i) => i != o && i != o + 1 || o < 0));
        var rows = new JsonArray();
        var limit = OpenFileLimit();
        foreach (var watchers in points)
        {
            var services = Math.Max(10, watchers / perService);
            var needed = (2 * watchers) + (2 * Math.Min(watchers, 1000)) + 200;
            if (needed > limit)
            {
                Console.WriteLine($"{watchers} watchers: skipped, they need ~{needed} file descriptors in one process, the limit is {limit}");
                rows.Add(new JsonObject { ["watchers"] = watchers, ["services"] = services, ["skipped"] = $"needs ~{needed} file descriptors in one process (limit {limit})" });
                continue;
            }

            var json = Path.Combine(output, $"point-{watchers}.json");
            var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
            foreach (var arg in (string[])[typeof(CurveRunner).Assembly.Location, "--watchers", I(watchers), "--services", I(services), "--activations", I(activations), "--warmup", I(warmup), "--json", json])
            {
                start.ArgumentList.Add(arg);
            }

            Console.WriteLine($"== {watchers} watchers over {services} services ==");
            using var child = Process.Start(start)!;
            await child.WaitForExitAsync().ConfigureAwait(false);
            rows.Add(File.Exists(json)
                ? JsonNode.Parse(await File.ReadAllTextAsync(json).ConfigureAwait(false))!
                : new JsonObject { ["watchers"] = watchers, ["services"] = services, ["skipped"] = $"the run failed (exit code {child.ExitCode})" });
            File.Delete(json);
        }

        var report = new JsonObject
        {
            ["constitutional_hash"] = AcgsConstants.ConstitutionalHash,
            ["generated_at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["command"] = command,
            ["cores"] = Environment.ProcessorCount,
            ["points"] = rows,
        };
        await File.WriteAllTextAsync(Path.Combine(output, "convergence.json"), report.ToJsonString(new() { WriteIndented = true }) + "\n").ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(output, "convergence.md"), CurveReport.Markdown(report)).ConfigureAwait(false);
        Console.WriteLine($"growth curve written to {output}");
        return 0;
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Acgs.sln")))
            {
                return directory.FullName;
            }
        }

        return Environment.CurrentDirectory;
    }

    /// <summary>The soft limit on open files (/proc/self/limits), or int.MaxValue when unknown.</summary>
    private static int OpenFileLimit()
    {
        if (!File.Exists("/proc/self/limits"))
        {
            return int.MaxValue;
        }

        foreach (var line in File.ReadLines("/proc/self/limits"))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var columns = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return int.TryParse(columns[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft) ? soft : int.MaxValue;
            }
        }

        return int.MaxValue;
    }
}
