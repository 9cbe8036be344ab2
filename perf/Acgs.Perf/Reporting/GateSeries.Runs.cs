// Constitutional Hash: cdd01ef066bc6cf2

using System.Text;
using System.Text.Json.Nodes;
using Acgs.LoadTest.Reports;

namespace Acgs.Perf.Reporting;

/// <summary>The per-run table and the JSON document of a series.</summary>
internal static partial class GateSeries
{
    private static void RenderRuns(StringBuilder md, IReadOnlyList<SeriesRun> runs)
    {
        md.Append("\n## Runs\n\n| run | condition | HTTP gate exit | bus gate exit | fail / inconclusive lines |\n|---|---|---:|---:|---|\n");
        foreach (var run in runs)
        {
            int fail = 0, inconclusive = 0;
            foreach (var (_, status) in run.Lines)
            {
                fail += status == "fail" ? 1 : 0;
                inconclusive += status == "inconclusive" ? 1 : 0;
            }

            md.Append(Inv, $"| {Path.GetFileName(Path.TrimEndingDirectorySeparator(run.Directory))} | {run.Condition} | {run.HttpExit} | {(run.BusExit is { } b ? b.ToString(Inv) : "–")} | {fail} / {inconclusive} |\n");
        }
    }

    private static JsonObject ToJson(IReadOnlyList<SeriesRun> runs, SeriesSummary summary)
    {
        var lines = new JsonArray();
        foreach (var l in summary.Lines)
        {
            lines.Add(new JsonObject { ["name"] = l.Name, ["pass"] = l.Pass, ["inconclusive"] = l.Inconclusive, ["fail"] = l.Fail });
        }

        var figures = new JsonArray();
        foreach (var f in summary.Figures)
        {
            var values = new JsonArray();
            foreach (var v in f.Values)
            {
                values.Add(v);
            }

            figures.Add(new JsonObject { ["name"] = f.Name, ["min"] = f.Min, ["median"] = f.Median, ["max"] = f.Max, ["values"] = values });
        }

        var runList = new JsonArray();
        foreach (var r in runs)
        {
            runList.Add(new JsonObject { ["run"] = Path.GetFileName(Path.TrimEndingDirectorySeparator(r.Directory)), ["condition"] = r.Condition, ["http_exit"] = r.HttpExit, ["bus_exit"] = r.BusExit });
        }

        return new JsonObject
        {
            ["constitutional_hash"] = RunReport.ConstitutionalHash,
            ["runs"] = runList,
            ["failed_lines"] = summary.Failed,
            ["lines"] = lines,
            ["figures"] = figures,
        };
    }
}
