// Constitutional Hash: cdd01ef066bc6cf2

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Acgs.LoadTest.Reports;
using Acgs.LoadTest.Running;

namespace Acgs.Perf.Reporting;

/// <summary>Collects a perf run's output: console lines, a Markdown document (summary.md), a JSON document
/// (report.json; with every raw run in summary.json) and the raw histograms (runs/*.hgrm); written to
/// perf/results/&lt;timestamp&gt;/. summary.md, report.json and a gate's verdict.json are committed; the raw
/// files are not.</summary>
internal sealed class PerfReport(TextWriter console, string directory)
{
    private readonly StringBuilder _markdown = new();
    private readonly JsonObject _json = new() { ["constitutional_hash"] = RunReport.ConstitutionalHash };
    private readonly JsonObject _runs = [];
    private readonly List<(string Name, RunResult Result)> _rawRuns = [];

    public string Directory { get; } = directory;

    public JsonObject Json => _json;

    /// <summary>A line for the console and the Markdown document.</summary>
    public void Line(string text = "")
    {
        console.WriteLine(text);
        _markdown.Append(text).Append('\n');
    }

    /// <summary>Markdown only (tables are printed to the console too).</summary>
    public void Markdown(string text)
    {
        console.Write(text);
        _markdown.Append(text);
    }

    /// <summary>Keeps a raw run (its JSON in summary.json under "runs", its histograms as .hgrm).</summary>
    public void AddRun(string name, RunResult result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            RunReport.WriteJson(writer, result);
        }

        _runs[name] = JsonNode.Parse(buffer.ToArray());
        _rawRuns.Add((name, result));
    }

    public async Task WriteAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        // report.json: the run without its raw runs, small enough to commit (./acgs perf report reads it).
        await File.WriteAllTextAsync(Path.Combine(Directory, "report.json"), _json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })).ConfigureAwait(false);
        _json["runs"] = _runs;
        await File.WriteAllTextAsync(Path.Combine(Directory, "summary.md"), "<!-- Constitutional Hash: cdd01ef066bc6cf2 -->\n\n" + _markdown).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(Directory, "summary.json"), _json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })).ConfigureAwait(false);
        if (_json["gate_checks"] is not null)
        {
            // The small verdict of a gate run: one object per line, the figures behind them.
            var verdict = new JsonObject
            {
                ["constitutional_hash"] = RunReport.ConstitutionalHash,
                ["started"] = _json["started"]?.DeepClone(),
                ["exit_code"] = _json["gate_exit_code"]?.DeepClone(),
                ["verdict"] = _json["gate_verdict"]?.DeepClone(),
                ["lines"] = _json["gate_checks"]!.DeepClone(),
                ["figures"] = _json["gate"]?.DeepClone(),
            };
            await File.WriteAllTextAsync(Path.Combine(Directory, "verdict.json"), verdict.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })).ConfigureAwait(false);
        }

        var raw = Path.Combine(Directory, "runs");
        System.IO.Directory.CreateDirectory(raw);
        foreach (var (name, result) in _rawRuns)
        {
            if (result.Stats is { } s)
            {
                await using var w = new StreamWriter(Path.Combine(raw, name + ".latency.hgrm"));
                RunReport.WriteHgrm(w, s.Latency);
            }
        }
    }
}
