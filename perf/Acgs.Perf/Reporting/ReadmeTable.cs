// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Acgs.Perf.Reporting;

/// <summary>
/// <c>./acgs perf report</c>: the README's performance table, regenerated from the run reports in
/// <c>perf/results/&lt;timestamp&gt;/report.json</c> (each row from the newest run that measured it, named
/// in the row), between the <c>perf-table:begin</c> and <c>perf-table:end</c> markers. Figures live in
/// these generated reports, never in hand-typed prose.
/// </summary>
internal static class ReadmeTable
{
    public const string Begin = "<!-- perf-table:begin -->";
    public const string End = "<!-- perf-table:end -->";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly string[] Columns = ["sidecar", "plain-yarp", "nginx", "haproxy"];

    public static async Task<int> RunAsync(string root, TextWriter output)
    {
        var reports = Load(Path.Combine(root, "perf", "results"));
        var table = Render(reports);
        var readme = Path.Combine(root, "README.md");
        var text = await File.ReadAllTextAsync(readme).ConfigureAwait(false);
        int begin = text.IndexOf(Begin, StringComparison.Ordinal), end = text.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            await output.WriteLineAsync($"acgs perf report: README.md has no {Begin} ... {End} section").ConfigureAwait(false);
            return 2;
        }

        text = string.Concat(text.AsSpan(0, begin + Begin.Length), "\n", table, text.AsSpan(end));
        await File.WriteAllTextAsync(readme, text).ConfigureAwait(false);
        await output.WriteAsync(table).ConfigureAwait(false);
        await output.WriteLineAsync($"README.md: performance table regenerated from {reports.Count} run report(s) in perf/results/").ConfigureAwait(false);
        return 0;
    }

    /// <summary>(folder name, report) pairs, newest first.</summary>
    public static List<(string Run, JsonObject Report)> Load(string resultsDirectory)
    {
        var list = new List<(string, JsonObject)>();
        if (!Directory.Exists(resultsDirectory))
        {
            return list;
        }

        foreach (var dir in Directory.GetDirectories(resultsDirectory))
        {
            var file = Path.Combine(dir, "report.json");
            if (File.Exists(file) && JsonNode.Parse(File.ReadAllText(file)) is JsonObject o)
            {
                list.Add((Path.GetFileName(dir), o));
            }
        }

        list.Sort((a, b) => string.CompareOrdinal(b.Item1, a.Item1));
        return list;
    }

    public static string Render(List<(string Run, JsonObject Report)> reports)
    {
        var sb = new StringBuilder();
        sb.Append("| measure | sidecar | plain YARP | nginx | HAProxy | run |\n|---|---:|---:|---:|---:|---|\n");
        if (Newest(reports, r => r["efficiency"] as JsonObject) is var (effRun, eff, effReport))
        {
            var rate = effReport["rate"]?.GetValue<double>() ?? 6000;
            Row(sb, string.Create(Inv, $"CPU µs per request at {rate:0} req/s"), eff, "cpu_us_per_request", "0.0", effRun);
            Row(sb, "managed bytes allocated per request", eff, "managed_bytes_per_request", "0", effRun);
            Row(sb, "RSS under load (MiB)", eff, "rss_mib", "0.0", effRun);
        }

        // The gate rows come from the newest gate run whose runs were all valid: a run made on an overloaded host (its
        // "every run valid" line INCONCLUSIVE: the generator lagged, a target could not keep up) measured the host.
        if (Newest(reports, r => ValidRuns(r) ? r["gate"] as JsonObject : null) is var (gateRun, gate, gateReport))
        {
            var own = gate["sidecar_own_added_us"]?["p99"]?.GetValue<double>();
            var cpu = gate["cpu_us_per_request"] as JsonObject;
            var median = gate["median_ms"] as JsonObject;
            sb.Append(string.Create(Inv, $"| gate{(gate["ci"]?.GetValue<bool>() == true ? " --ci" : "")}: sidecar own added latency p99 | {(own is { } o ? (o / 1000).ToString("0.000", Inv) + " ms" : "–")} | – | – | – | {gateRun} |\n"));
            sb.Append(string.Create(Inv, $"| gate: end-to-end p90 / p99 (ms; direct {Ms(median, "Direct", "p90")} / {Ms(median, "Direct", "p99")}) | {Ms(median, "Sidecar", "p90")} / {Ms(median, "Sidecar", "p99")} | – | {Ms(median, "Nginx", "p90")} / {Ms(median, "Nginx", "p99")} | – | {gateRun} |\n"));
            sb.Append(string.Create(Inv, $"| gate: CPU µs per request (same slices) | {Num(cpu?["sidecar"], "0.0")} | – | {Num(cpu?["nginx"], "0.0")} | – | {gateRun} |\n"));
            sb.Append(string.Create(Inv, $"| gate verdict | {gateReport["gate_verdict"]?.GetValue<string>()?.Replace("|", "/", StringComparison.Ordinal) ?? "–"} | | | | {gateRun} |\n"));
        }

        if (Newest(reports, r => r["capacity"] as JsonObject) is var (capRun, cap, _))
        {
            Row(sb, string.Create(Inv, $"capacity, closed model, {cap["connections"]} connections (req/s)"), cap["median_rps"] as JsonObject ?? [], null, "0", capRun);
        }

        return sb.ToString();
    }

    /// <summary>False when the report's gate line "every run valid" exists and did not pass.</summary>
    private static bool ValidRuns(JsonObject report)
    {
        if (report["gate_checks"] is not JsonArray checks)
        {
            return true;
        }

        foreach (var check in checks)
        {
            if (check?["name"]?.GetValue<string>() is { } name && name.StartsWith("every run valid", StringComparison.Ordinal))
            {
                return check["status"]?.GetValue<string>() == "pass";
            }
        }

        return true;
    }

    private static (string Run, JsonObject Section, JsonObject Report)? Newest(List<(string Run, JsonObject Report)> reports, Func<JsonObject, JsonObject?> section)
    {
        foreach (var (run, report) in reports)
        {
            if (section(report) is { } s)
            {
                return (run, s, report);
            }
        }

        return null;
    }

    private static void Row(StringBuilder sb, string measure, JsonObject rows, string? field, string format, string run)
    {
        sb.Append("| ").Append(measure);
        foreach (var c in Columns)
        {
            var node = field is null ? rows[c] : rows[c]?[field];
            sb.Append(" | ").Append(Num(node, format));
        }

        sb.Append(" | ").Append(run).Append(" |\n");
    }

    private static string Num(JsonNode? node, string format) =>
        node is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d) ? d.ToString(format, Inv) : "–";

    private static string Ms(JsonObject? median, string target, string p) => Num(median?[target]?[p], "0.000");
}
