// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text;
using System.Text.Json;
using Acgs.LoadTest.Running;
using Acgs.LoadTest.Stats;
using HdrHistogram;

namespace Acgs.LoadTest.Reports;

/// <summary>Renders a run as a console table, Markdown, JSON and <c>.hgrm</c> percentile distributions.</summary>
public static class RunReport
{
    /// <summary>The constitutional hash stamped into every JSON report.</summary>
    public const string ConstitutionalHash = "cdd01ef066bc6cf2";

    private static readonly double[] Percentiles = [50, 90, 99, 99.9];
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A plain-text table for the console.</summary>
    public static string ToConsoleTable(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        var s = result.Stats;
        if (s is not null)
        {
            sb.Append(Inv, $"scenario {s.Name}: {s.Requests} requests in {s.Duration.TotalSeconds:0.##} s, ok {s.Ok}, fail {s.Fail}, ");
            sb.Append(Inv, $"target {s.TargetRate:0.#}/s, sent {s.SendRate:0.#}/s, achieved {s.AchievedRate:0.#}/s, pool waits {s.PoolWaits}, ");
            sb.Append(Inv, $"generator CPU {s.GeneratorCpuUsPerRequest:0.#} µs/request\n");
            sb.Append(Inv, $"{"ms",-22}{"p50",10}{"p90",10}{"p99",10}{"p99.9",10}{"max",10}\n");
            Row(sb, "latency (corrected)", s.Latency);
            Row(sb, "service time", s.ServiceTime);
            Row(sb, "scheduler lag", s.SchedulerLag);
            foreach (var step in s.Steps)
            {
                Row(sb, "step " + step.Name, step.Latency);
            }

            sb.Append("status codes: ").Append(string.Join(' ', s.StatusCodes.OrderBy(kv => kv.Key).Select(kv => string.Create(Inv, $"{kv.Key}:{kv.Value}")))).Append('\n');
        }

        foreach (var t in result.Thresholds)
        {
            sb.Append(t.Passed ? "  PASS " : "  FAIL ").Append(t.Description).Append(" (actual ").Append(t.Actual).Append(")\n");
        }

        foreach (var reason in result.InvalidReasons)
        {
            sb.Append("  INVALID ").Append(reason).Append('\n');
        }

        sb.Append(Inv, $"exit code {result.ExitCode}\n");
        return sb.ToString();
    }

    /// <summary>A Markdown section.</summary>
    public static string ToMarkdown(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        var s = result.Stats;
        sb.Append(Inv, $"### {s?.Name ?? "run"}\n\n");
        if (s is not null)
        {
            sb.Append(Inv, $"{s.Requests} requests in {s.Duration.TotalSeconds:0.##} s; ok {s.Ok}, fail {s.Fail}; target {s.TargetRate:0.#}/s, sent {s.SendRate:0.#}/s, achieved {s.AchievedRate:0.#}/s; pool waits {s.PoolWaits}; generator CPU {s.GeneratorCpuUsPerRequest:0.#} µs/request.\n\n");
            sb.Append("| ms | p50 | p90 | p99 | p99.9 | max |\n|---|---:|---:|---:|---:|---:|\n");
            MdRow(sb, "latency (corrected)", s.Latency);
            MdRow(sb, "service time", s.ServiceTime);
            MdRow(sb, "scheduler lag", s.SchedulerLag);
            foreach (var step in s.Steps)
            {
                MdRow(sb, "step " + step.Name, step.Latency);
            }

            sb.Append('\n');
        }

        foreach (var t in result.Thresholds)
        {
            sb.Append(Inv, $"- {(t.Passed ? "PASS" : "FAIL")} {t.Description} (actual {t.Actual})\n");
        }

        foreach (var reason in result.InvalidReasons)
        {
            sb.Append(Inv, $"- INVALID {reason}\n");
        }

        sb.Append(Inv, $"\nexit code {result.ExitCode}\n");
        return sb.ToString();
    }

    /// <summary>Writes the run as a JSON object (used inside larger documents too).</summary>
    public static void WriteJson(Utf8JsonWriter writer, RunResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        writer.WriteStartObject();
        writer.WriteString("constitutional_hash", ConstitutionalHash);
        writer.WriteNumber("exit_code", result.ExitCode);
        writer.WriteBoolean("valid", result.IsValid);
        writer.WriteStartArray("invalid_reasons");
        foreach (var r in result.InvalidReasons)
        {
            writer.WriteStringValue(r);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("thresholds");
        foreach (var t in result.Thresholds)
        {
            writer.WriteStartObject();
            writer.WriteString("description", t.Description);
            writer.WriteBoolean("passed", t.Passed);
            writer.WriteString("actual", t.Actual);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        var s = result.Stats;
        if (s is not null)
        {
            writer.WriteString("scenario", s.Name);
            writer.WriteBoolean("open_model", s.OpenModel);
            writer.WriteNumber("duration_s", s.Duration.TotalSeconds);
            writer.WriteNumber("target_rps", Math.Round(s.TargetRate, 2));
            writer.WriteNumber("send_rps", Math.Round(s.SendRate, 2));
            writer.WriteNumber("achieved_rps", Math.Round(s.AchievedRate, 2));
            writer.WriteNumber("intended", s.Intended);
            writer.WriteNumber("dispatched", s.Dispatched);
            writer.WriteNumber("ok", s.Ok);
            writer.WriteNumber("fail", s.Fail);
            writer.WriteNumber("transport_errors", s.TransportErrors);
            writer.WriteNumber("bytes", s.Bytes);
            writer.WriteNumber("pool_waits", s.PoolWaits);
            writer.WriteNumber("generator_cpu_us_per_request", Math.Round(s.GeneratorCpuUsPerRequest, 2));
            writer.WriteStartObject("status_codes");
            foreach (var (code, n) in s.StatusCodes)
            {
                writer.WriteNumber(code.ToString(Inv), n);
            }

            writer.WriteEndObject();
            WriteHistogram(writer, "latency_ms", s.Latency);
            WriteHistogram(writer, "service_time_ms", s.ServiceTime);
            WriteHistogram(writer, "scheduler_lag_ms", s.SchedulerLag);
            writer.WriteStartArray("steps");
            foreach (var step in s.Steps)
            {
                writer.WriteStartObject();
                writer.WriteString("name", step.Name);
                writer.WriteNumber("ok", step.Ok);
                writer.WriteNumber("fail", step.Fail);
                WriteHistogram(writer, "latency_ms", step.Latency);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes one histogram's summary (milliseconds) as a JSON property.</summary>
    public static void WriteHistogram(Utf8JsonWriter writer, string name, HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(histogram);
        writer.WriteStartObject(name);
        writer.WriteNumber("count", histogram.TotalCount);
        writer.WriteNumber("mean", Math.Round(Histograms.MeanMs(histogram), 4));
        foreach (var p in Percentiles)
        {
            writer.WriteNumber("p" + p.ToString(Inv), Math.Round(Histograms.PercentileMs(histogram, p), 4));
        }

        writer.WriteNumber("max", Math.Round(Histograms.MaxMs(histogram), 4));
        writer.WriteEndObject();
    }

    /// <summary>Writes an HdrHistogram percentile distribution (values in milliseconds).</summary>
    public static void WriteHgrm(TextWriter writer, HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        histogram.OutputPercentileDistribution(writer, 5, 1e6, false);
    }

    /// <summary>Writes &lt;name&gt;.md, &lt;name&gt;.json and the three .hgrm files into <paramref name="directory"/>.</summary>
    public static async Task WriteFilesAsync(RunResult result, string directory, string name)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, name + ".md"), ToMarkdown(result)).ConfigureAwait(false);
        var stream = File.Create(Path.Combine(directory, name + ".json"));
        await using (stream.ConfigureAwait(false))
        {
            var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            await using (writer.ConfigureAwait(false))
            {
                WriteJson(writer, result);
            }
        }

        if (result.Stats is { } s)
        {
            WriteHgrmFile(Path.Combine(directory, name + ".latency.hgrm"), s.Latency);
            WriteHgrmFile(Path.Combine(directory, name + ".service.hgrm"), s.ServiceTime);
            WriteHgrmFile(Path.Combine(directory, name + ".lag.hgrm"), s.SchedulerLag);
        }
    }

    private static void WriteHgrmFile(string path, HistogramBase histogram)
    {
        using var w = new StreamWriter(path);
        WriteHgrm(w, histogram);
    }

    private static void Row(StringBuilder sb, string label, HistogramBase h)
    {
        sb.Append(Inv, $"{label,-22}");
        foreach (var p in Percentiles)
        {
            sb.Append(Inv, $"{Histograms.PercentileMs(h, p),10:0.###}");
        }

        sb.Append(Inv, $"{Histograms.MaxMs(h),10:0.###}\n");
    }

    private static void MdRow(StringBuilder sb, string label, HistogramBase h)
    {
        sb.Append("| ").Append(label);
        foreach (var p in Percentiles)
        {
            sb.Append(Inv, $" | {Histograms.PercentileMs(h, p):0.###}");
        }

        sb.Append(Inv, $" | {Histograms.MaxMs(h):0.###} |\n");
    }
}
