// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Perf.Ab;

namespace Acgs.Perf.Tests.Ab;

public sealed class AbSummaryTests
{
    private static readonly AbVariant Off = new("off", [new("ACGS_METERING", "false")], null, null);
    private static readonly AbVariant On = new("on", [], "off", 1.03);
    private static readonly AbVariant Traced = new("traced", [new("OTEL_EXPORTER_OTLP_ENDPOINT", "{otlp}")], "off", null);

    [Fact]
    public void Rows_ThreeSlicesEach_MediansOverSlicesAndRatioToBaseline()
    {
        // Per-slice CPU µs/request: off 100, 110, 90 (median 100); on 102, 120, 101 (median 102).
        AbSlice[] slices =
        [
            Slice("off", 0, 10_000, 1.00, 20_000_000), Slice("on", 0, 10_000, 1.02, 21_000_000),
            Slice("off", 1, 10_000, 1.10, 20_000_000), Slice("on", 1, 10_000, 1.20, 21_000_000),
            Slice("off", 2, 10_000, 0.90, 20_000_000), Slice("on", 2, 10_000, 1.01, 21_000_000),
        ];

        var rows = AbSummary.Rows([Off, On], slices, Latencies());

        Assert.Equal("baseline", rows[0].Verdict);
        Assert.Null(rows[0].CpuRatio);
        Assert.Equal(100, rows[0].CpuUsMedian, 6);
        Assert.Equal(102, rows[1].CpuUsMedian, 6);
        Assert.Equal(1.02, rows[1].CpuRatio!.Value, 6);
        Assert.Equal(3.23 / 3.00, rows[1].CpuRatioTotal!.Value, 6);
        Assert.Equal(2000, rows[0].BytesMedian!.Value, 6);
        Assert.Equal(2100, rows[1].BytesMedian!.Value, 6);
        Assert.Equal(30_000, rows[1].Requests);
        Assert.Equal(3, rows[1].Slices);
        Assert.Equal("met", rows[1].Verdict);
    }

    [Fact]
    public void Rows_RatioAboveGoal_NotMet()
    {
        AbSlice[] slices = [Slice("off", 0, 10_000, 1.00, null), Slice("on", 0, 10_000, 1.04, null)];

        var rows = AbSummary.Rows([Off, On], slices, Latencies());

        Assert.Equal(1.04, rows[1].CpuRatio!.Value, 6);
        Assert.Equal("not met", rows[1].Verdict);
        Assert.Null(rows[1].BytesMedian);
    }

    [Fact]
    public void Rows_NoGoal_MeasuredWithPairedSliceQuartiles()
    {
        // Paired ratios 1.1, 1.2, 1.3, 1.4, 1.5: quartiles 1.2 and 1.4.
        var slices = new List<AbSlice>();
        for (var i = 0; i < 5; i++)
        {
            slices.Add(Slice("off", i, 10_000, 1.0, 0));
            slices.Add(Slice("traced", i, 10_000, 1.1 + (0.1 * i), 0));
        }

        var rows = AbSummary.Rows([Off, Traced], slices, Latencies());

        Assert.Equal("measured", rows[1].Verdict);
        Assert.Equal(1.2, rows[1].PairedLow!.Value, 6);
        Assert.Equal(1.4, rows[1].PairedHigh!.Value, 6);
        Assert.Equal(1.3, rows[1].CpuRatio!.Value, 6);
    }

    [Fact]
    public void Rows_BaselineRoundInvalid_InconclusiveNotMet()
    {
        AbSlice[] slices = [Slice("off", 0, 10_000, 1.00, null), Slice("on", 0, 10_000, 1.04, null)];
        var latencies = Latencies();
        latencies["off"] = latencies["off"] with { ValidRounds = 2 };

        var rows = AbSummary.Rows([Off, On], slices, latencies);

        Assert.Equal("inconclusive (not met on invalid rounds)", rows[1].Verdict);
    }

    [Fact]
    public void Rows_BaselineWithoutSlices_Invalid()
    {
        var rows = AbSummary.Rows([Off, On], [Slice("on", 0, 10_000, 1.0, null)], Latencies());

        Assert.Equal("invalid", rows[1].Verdict);
    }

    [Fact]
    public void MarkdownAndJson_OneRow_FiguresOfTheRowAndSinkCounts()
    {
        AbSlice[] slices = [Slice("off", 0, 10_000, 1.00, 25_000_000), Slice("traced", 0, 10_000, 1.25, 30_000_000)];
        var latencies = Latencies();
        latencies["traced"] = new AbLatency(60, 180, 0.2, 0.9, 3, 3, 7, 2048);

        var rows = AbSummary.Rows([Off, Traced], slices, latencies);
        var markdown = AbSummary.Markdown(rows);
        var json = AbSummary.Json(rows);

        Assert.Contains("| traced | off | 125.0 | 1.250 (+25.0 %) | 1.250–1.250 | 125.0 | 1.250 (+25.0 %) | 3000 | 60 / 180 | 0.200 / 0.900 | — | measured | 1 | 10000 | 7 (2 KiB) |", markdown, StringComparison.Ordinal);
        Assert.Equal(1.25, json["traced"]!["cpu_ratio"]!.GetValue<double>());
        Assert.Equal("measured", json["traced"]!["verdict"]!.GetValue<string>());
        Assert.Equal("{otlp}", json["traced"]!["environment"]!["OTEL_EXPORTER_OTLP_ENDPOINT"]!.GetValue<string>());
        Assert.Equal(7, json["traced"]!["otlp_exports_received"]!.GetValue<long>());
        Assert.Null(json["off"]!["cpu_ratio"]);
    }

    [Theory]
    [InlineData(1.031, "+3.1 %")]
    [InlineData(0.98, "-2.0 %")]
    [InlineData(1.0, "0.0 %")]
    public void Percent_Ratio_SignedChange(double ratio, string expected) =>
        Assert.Equal(expected, AbSummary.Percent(ratio));

    private static AbSlice Slice(string variant, int slice, long requests, double cpuSeconds, double? bytes) =>
        new(variant, 1, slice, requests, cpuSeconds, bytes);

    private static Dictionary<string, AbLatency> Latencies() => new(StringComparer.Ordinal)
    {
        ["off"] = new AbLatency(50, 150, 0.2, 0.8, 3, 3, 0, 0),
        ["on"] = new AbLatency(51, 151, 0.2, 0.8, 3, 3, 0, 0),
    };
}
