// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Acgs.LoadTest.Reports;

namespace Acgs.Perf.Reporting;

/// <summary>
/// <c>./acgs perf series</c>: the quick gate's robustness over many runs. Reads the run directories of
/// several <c>./acgs perf gate --ci</c> runs (their <c>verdict.json</c> and <c>bus-verdict.json</c>, and a
/// <c>condition.txt</c> saying what else ran), counts each gate line's verdicts and gives each figure's
/// minimum, median and maximum; writes <c>series.md</c> and <c>series.json</c>. Exit code 0 when no line
/// failed in any run, 1 when one did (the gate is wrong if the code did not change), 2 on unusable input.
/// </summary>
internal static partial class GateSeries
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var (outDir, runDirs, errors) = ParseArguments(args);
        var runs = new List<SeriesRun>();
        foreach (var dir in runDirs)
        {
            var run = SeriesRun.Load(dir, out var problem);
            if (run is null)
            {
                errors.Add(problem);
            }
            else
            {
                runs.Add(run);
            }
        }

        if (errors.Count > 0 || outDir is null)
        {
            foreach (var e in errors)
            {
                await output.WriteLineAsync("acgs perf series: " + e).ConfigureAwait(false);
            }

            await output.WriteLineAsync("usage: series --out DIR RUN_DIR... (each RUN_DIR holds a gate --ci run's verdict.json)").ConfigureAwait(false);
            return 2;
        }

        var summary = Summarize(runs);
        Directory.CreateDirectory(outDir);
        var markdown = Render(runs, summary);
        await File.WriteAllTextAsync(Path.Combine(outDir, "series.md"), markdown).ConfigureAwait(false);
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        await File.WriteAllTextAsync(Path.Combine(outDir, "series.json"), ToJson(runs, summary).ToJsonString(options)).ConfigureAwait(false);
        await output.WriteAsync(markdown).ConfigureAwait(false);
        await output.WriteLineAsync($"series: {Path.Combine(outDir, "series.md")} ({runs.Count} runs, {summary.Failed} failed line(s))").ConfigureAwait(false);
        return summary.Failed == 0 ? 0 : 1;
    }

    internal static (string? OutDir, List<string> RunDirs, List<string> Errors) ParseArguments(string[] args)
    {
        string? outDir = null;
        var runDirs = new List<string>();
        var errors = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--out")
            {
                if (i + 1 >= args.Length)
                {
                    errors.Add("--out needs a directory");
                }
                else
                {
                    outDir = args[++i];
                }
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                errors.Add($"unknown option {args[i]}");
            }
            else
            {
                runDirs.Add(args[i]);
            }
        }

        if (outDir is null)
        {
            errors.Add("--out DIR is required");
        }

        if (runDirs.Count == 0)
        {
            errors.Add("no run directory given");
        }

        return (outDir, runDirs, errors);
    }

    internal static SeriesSummary Summarize(IReadOnlyList<SeriesRun> runs)
    {
        var lines = new List<SeriesLineTally>();
        var figures = new List<SeriesFigure>();
        var failed = 0;
        foreach (var run in runs)
        {
            foreach (var (name, status) in run.Lines)
            {
                var tally = lines.Find(l => l.Name == name);
                if (tally is null)
                {
                    tally = new SeriesLineTally(name);
                    lines.Add(tally);
                }

                tally.Add(status);
                failed += status == "fail" ? 1 : 0;
            }

            foreach (var (name, value) in run.Figures)
            {
                var figure = figures.Find(f => f.Name == name);
                if (figure is null)
                {
                    figure = new SeriesFigure(name);
                    figures.Add(figure);
                }

                figure.Values.Add(value);
            }
        }

        return new SeriesSummary(lines, figures, failed);
    }

    internal static string Render(IReadOnlyList<SeriesRun> runs, SeriesSummary summary)
    {
        var md = new System.Text.StringBuilder();
        md.Append("<!-- Constitutional Hash: ").Append(RunReport.ConstitutionalHash).Append(" -->\n");
        md.Append("# Quick gate over ").Append(runs.Count).Append(" runs\n\n");
        md.Append(summary.Failed == 0
            ? "Every line of every run is PASS or INCONCLUSIVE: no run failed from noise.\n\n"
            : $"**{summary.Failed} line(s) FAILED** in the runs below: a failure the code did not cause is a defect of the gate.\n\n");
        md.Append("## Verdicts per gate line\n\n| line | pass | inconclusive | fail |\n|---|---:|---:|---:|\n");
        foreach (var line in summary.Lines)
        {
            md.Append(Inv, $"| {line.Name} | {line.Pass} | {line.Inconclusive} | {line.Fail} |\n");
        }

        md.Append("\n## Figures (minimum / median / maximum over the runs)\n\n| figure | runs | min | median | max |\n|---|---:|---:|---:|---:|\n");
        foreach (var figure in summary.Figures)
        {
            md.Append(Inv, $"| {figure.Name} | {figure.Values.Count} | {figure.Min:0.###} | {figure.Median:0.###} | {figure.Max:0.###} |\n");
        }

        RenderRuns(md, runs);
        return md.ToString();
    }
}
