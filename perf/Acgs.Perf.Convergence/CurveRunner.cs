// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Acgs.Core;

namespace Acgs.Perf.Convergence;

/// <summary>
/// The growth curve (<c>--curve 100,1000,5000,10000</c>): one child process per point (each point starts clean), 20
/// watchers per service (<c>--per-service</c>), at least 10 services. Without <c>--replicas</c> a point is the in-process
/// control plane; with <c>--replicas 1,2</c> every point runs once per replica count in the multi-process mode (replicas
/// and watchers in processes of their own on one redis-server); <c>--storm N</c> adds the reconnect storm. Writes
/// <c>convergence.json</c> and <c>convergence.md</c> to <c>--out</c> (default <c>perf/results/&lt;timestamp&gt;-convergence/</c>).
/// A point that needs more file descriptors than a process may open here is reported as skipped, not run.
/// </summary>
internal static class CurveRunner
{
    public static async Task<int> RunAsync(BenchArguments args)
    {
        var perService = args.Int("--per-service", 20);
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var output = args.Text("--out") ?? Path.Combine(RepositoryRoot(), "perf", "results", stamp + "-convergence");
        Directory.CreateDirectory(output);
        var o = Array.IndexOf(args.Raw, "--out");
        var command = "dotnet run -c Release --project perf/Acgs.Perf.Convergence -- " + string.Join(' ', args.Raw.Where((_, i) => o < 0 || (i != o && i != o + 1)));
        var rows = new JsonArray();
        var (soft, hard) = OpenFileLimits();
        var replicaCounts = args.Replicas.Count > 0 ? args.Replicas : [0];
        foreach (var replicas in replicaCounts)
        {
            foreach (var watchers in args.List("--curve"))
            {
                var services = Math.Max(10, watchers / perService);
                var point = new JsonObject { ["watchers"] = watchers, ["services"] = services, ["calls"] = args.Int("--calls", 0) };
                if (replicas > 0)
                {
                    point["mode"] = "multi-process";
                    point["replicas"] = replicas;
                }

                // Two streams per watcher (the watch and its ACK stream), plus the ACK pool an answer falls back to. In-process:
                // both ends of all in one process. Multi-process: the busiest process is a watcher process (its streams + one
                // ACK pool per replica) or the replica holding most streams.
                var processes = args.Int("--watcher-processes", (watchers + 4999) / 5000);
                var needed = replicas == 0
                    ? (4 * watchers) + (2 * Math.Min(watchers, 1000)) + 200
                    : Math.Max((2 * watchers / processes) + (replicas * 1000) + 200, (2 * watchers / replicas) + (processes * 1000) + 200);
                var limit = replicas == 0 ? soft : hard;
                if (needed > limit)
                {
                    Console.WriteLine($"{watchers} watchers: skipped, they need ~{needed} file descriptors in one process, the limit is {limit}");
                    point["skipped"] = $"needs ~{needed} file descriptors in one process (limit {limit})";
                    rows.Add(point);
                    continue;
                }

                var json = Path.Combine(output, $"point-{watchers}-{replicas}.json");
                List<string> pointArgs = ["--watchers", I(watchers), "--services", I(services), "--activations", I(args.Int("--activations", 10)), "--warmup", I(args.Int("--warmup", 2)), "--warmup-max", I(args.Int("--warmup-max", WarmUp.DefaultMost)), "--json", json];
                if (args.Int("--calls", 0) > 0)
                {
                    pointArgs.AddRange(["--calls", I(args.Int("--calls", 0))]);
                }

                if (replicas > 0)
                {
                    pointArgs.AddRange(["--replicas", I(replicas), "--watcher-processes", I(processes)]);
                    pointArgs.AddRange(PassThrough(args));
                }

                Console.WriteLine(replicas == 0 ? $"== {watchers} watchers over {services} services ==" : $"== {watchers} watchers over {services} services, {replicas} replica(s) ==");
                rows.Add(await RunChildAsync(pointArgs, json, point).ConfigureAwait(false));
            }
        }

        var report = new JsonObject
        {
            ["constitutional_hash"] = AcgsConstants.ConstitutionalHash,
            ["generated_at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["command"] = command,
            ["cores"] = Environment.ProcessorCount,
            ["binaries"] = ControlPlaneBuild.Binaries(args, AppContext.BaseDirectory),
            ["calls"] = args.Int("--calls", 0),
            ["points"] = rows,
        };
        if (args.Has("--storm"))
        {
            var json = Path.Combine(output, "storm.json");
            Console.WriteLine($"== storm: {args.Int("--storm", 1000)} watchers on one replica ==");
            report["storm"] = await RunChildAsync(["--storm", I(args.Int("--storm", 1000)), "--per-service", I(perService), "--json", json, .. PassThrough(args)], json, new JsonObject()).ConfigureAwait(false);
        }

        await File.WriteAllTextAsync(Path.Combine(output, "convergence.json"), report.ToJsonString(new() { WriteIndented = true }) + "\n").ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(output, "convergence.md"), CurveReport.Markdown(report)).ConfigureAwait(false);
        Console.WriteLine($"growth curve written to {output}");
        return 0;
    }

    /// <summary>The repository (the directory holding Acgs.sln) above the working directory or this program.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in (string[])[Environment.CurrentDirectory, AppContext.BaseDirectory])
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Acgs.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        return Environment.CurrentDirectory;
    }

    /// <summary>Runs this program with <paramref name="pointArgs"/>; its <c>--json</c> file, or <paramref name="point"/> marked as failed.</summary>
    private static async Task<JsonNode> RunChildAsync(List<string> pointArgs, string json, JsonObject point)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        start.ArgumentList.Add(typeof(CurveRunner).Assembly.Location);
        pointArgs.ForEach(start.ArgumentList.Add);
        using var child = Process.Start(start)!;
        await child.WaitForExitAsync().ConfigureAwait(false);
        if (!File.Exists(json))
        {
            point["skipped"] = $"the run failed (exit code {child.ExitCode})";
            return point;
        }

        var result = JsonNode.Parse(await File.ReadAllTextAsync(json).ConfigureAwait(false))!;
        File.Delete(json);
        return result;
    }

    private static IEnumerable<string> PassThrough(BenchArguments args) =>
        ((string[])["--control-plane", "--redis-server", "--replica-cpus", "--watcher-cpus"]).Where(args.Has).SelectMany(name => (string[])[name, args.Text(name)!]);

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The soft and hard limits on open files (/proc/self/limits); int.MaxValue when unknown. Child processes raise theirs to the hard one.</summary>
    private static (int Soft, int Hard) OpenFileLimits()
    {
        if (!File.Exists("/proc/self/limits"))
        {
            return (int.MaxValue, int.MaxValue);
        }

        foreach (var line in File.ReadLines("/proc/self/limits"))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var columns = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                static int Parse(string text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : int.MaxValue;
                return (Parse(columns[0]), Parse(columns[1]));
            }
        }

        return (int.MaxValue, int.MaxValue);
    }
}
