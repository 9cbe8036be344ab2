// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Acgs.Perf.Reporting;

/// <summary>One quick-gate run read back from its directory: the verdict of every line (HTTP and bus) and the
/// figures a series compares.</summary>
internal sealed partial class SeriesRun
{
    private SeriesRun(string directory, string condition)
    {
        Directory = directory;
        Condition = condition;
    }

    public string Directory { get; }

    /// <summary>What else ran (<c>condition.txt</c>, written by <c>./acgs perf series</c>), or "-".</summary>
    public string Condition { get; }

    public int HttpExit { get; private set; }

    public int? BusExit { get; private set; }

    public List<(string Name, string Status)> Lines { get; } = [];

    public List<(string Name, double Value)> Figures { get; } = [];

    /// <summary>Reads a run directory; null (and why) when it holds no readable <c>verdict.json</c>.</summary>
    public static SeriesRun? Load(string directory, out string problem)
    {
        problem = "";
        var verdictFile = Path.Combine(directory, "verdict.json");
        if (!File.Exists(verdictFile))
        {
            problem = $"{directory}: no verdict.json (not a gate run, or it did not finish)";
            return null;
        }

        try
        {
            var conditionFile = Path.Combine(directory, "condition.txt");
            var condition = File.Exists(conditionFile) ? File.ReadAllText(conditionFile).Trim() : "-";
            var run = new SeriesRun(directory, condition.Length == 0 ? "-" : condition);
            var verdict = JsonNode.Parse(File.ReadAllText(verdictFile)) as JsonObject ?? throw new JsonException("not an object");
            run.HttpExit = (int?)verdict["exit_code"] ?? 2;
            run.ReadHttp(verdict);
            var busFile = Path.Combine(directory, "bus-verdict.json");
            if (File.Exists(busFile))
            {
                var bus = JsonNode.Parse(File.ReadAllText(busFile)) as JsonObject ?? throw new JsonException("not an object");
                run.BusExit = (int?)bus["exit_code"] ?? 2;
                run.ReadBus(bus);
            }

            return run;
        }
        catch (Exception ex) when (ex is JsonException or IOException or InvalidOperationException or FormatException)
        {
            problem = $"{directory}: unreadable verdict ({ex.Message})";
            return null;
        }
    }

    private void ReadHttp(JsonObject verdict)
    {
        AddLines("http", verdict);
        if (verdict["figures"] is not JsonObject f)
        {
            return;
        }

        double? sidecarCpu = Number(f["cpu_us_per_request"]?["sidecar"]), nginxCpu = Number(f["cpu_us_per_request"]?["nginx"]);
        Add("http: sidecar CPU µs per request", sidecarCpu);
        Add("http: nginx CPU µs per request", nginxCpu);
        Add("http: CPU per request, sidecar / nginx", sidecarCpu / nginxCpu);
        Add("http: sidecar own added p99 ms", Number(f["sidecar_own_added_us"]?["p99"]) / 1000);
        Add("http: sidecar managed bytes per request", Number(f["sidecar_managed_bytes_per_request"]));
        Add("http: sidecar RSS MiB", Number(f["sidecar_rss_mib"]));
        Add("http: calibration direct p99 ms", Number(f["median_ms"]?["Direct"]?["p99"]));
        Add("http: calibration generator lag p99 ms", Number(f["median_ms"]?["Direct"]?["lag_p99"]));
        Add("http: end-to-end sidecar p99 ms", Number(f["median_ms"]?["Sidecar"]?["p99"]));
        Add("http: sidecar p90 / nginx p90", Number(f["median_ms"]?["Sidecar"]?["p90"]) / Number(f["median_ms"]?["Nginx"]?["p90"]));
        foreach (var line in verdict["lines"]?.AsArray() ?? [])
        {
            var name = (string?)line?["name"] ?? "";
            if (name.StartsWith("achieved rate", StringComparison.Ordinal)
                && SidecarPercent().Match((string?)line?["detail"] ?? "") is { Success: true } m)
            {
                Add("http: sidecar achieved rate % (median round)", double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        }
    }

    private void ReadBus(JsonObject bus)
    {
        AddLines("bus", bus);
        if (bus["figures"] is JsonObject f)
        {
            Add("bus: throughput msg/s", Number(f["throughput_msg_per_s"]));
            Add("bus: sidecar own p99 µs", Number(f["own_p99_us"]));
            Add("bus: end-to-end p99 µs", Number(f["end_to_end_p99_us"]));
            Add("bus: calibration worst-round p99 µs", Number(f["calibration_worst_p99_us"]));
        }
    }

    private void AddLines(string prefix, JsonObject verdict)
    {
        foreach (var line in verdict["lines"]?.AsArray() ?? [])
        {
            Lines.Add((prefix + ": " + ((string?)line?["name"] ?? "?"), (string?)line?["status"] ?? "fail"));
        }
    }

    private void Add(string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            Figures.Add((name, v));
        }
    }

    private static double? Number(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    [GeneratedRegex(@"sidecar median round ([0-9.]+) %")]
    private static partial Regex SidecarPercent();
}
