// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.Perf.Ab;

namespace Acgs.Perf.Tests.Ab;

/// <summary>The whole text of both A/B tables (single-sidecar and mTLS pair), Markdown and JSON, on fixed slices: any change
/// to what the shared pairing computes or how the rows render shows here.</summary>
public sealed partial class AbReportTextTests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public void SingleSidecarSummary_FixedSlices_ExactMarkdownAndJson()
    {
        AbVariant off = new("off", [new("ACGS_METERING", "false")], null, null);
        AbVariant on = new("on", [], "off", 1.03);
        AbVariant traced = new("traced", [new("OTEL_EXPORTER_OTLP_ENDPOINT", "{otlp}")], "off", null);
        AbVariant orphan = new("orphan", [], "missing", 1.1);
        var slices = new List<AbSlice>();
        for (var round = 1; round <= 2; round++)
        {
            for (var slice = 0; slice < 3; slice++)
            {
                slices.Add(new AbSlice("off", round, slice, 10_000 + (round * 7), 1.0 + (0.03 * slice) + (0.01 * round), 20_000_000 + (slice * 1_000)));
                slices.Add(new AbSlice("on", round, slice, slice == 1 && round == 2 ? 0 : 9_990, 1.02 + (0.05 * slice), 21_000_000));
                slices.Add(new AbSlice("traced", round, slice, 10_003, 1.1 + (0.02 * slice * round), slice == 2 ? null : 30_000_000));
            }
        }

        slices.Add(new AbSlice("orphan", 1, 0, 5_000, 0.6, null));
        var latency = new Dictionary<string, AbLatency>(StringComparer.Ordinal)
        {
            ["off"] = new AbLatency(50, 150, 0.2, 0.8, 2, 2, 0, 0),
            ["on"] = new AbLatency(null, 151.4, 0.21, 0.81, 1, 2, 0, 0),
            ["traced"] = new AbLatency(60.6, 180, 0.25, 0.9, 2, 2, 7, 4096),
        };

        var rows = AbSummary.Rows([off, on, traced, orphan], slices, latency);

        Assert.Equal(AbMarkdown, AbSummary.Markdown(rows));
        Assert.Equal(AbJson, AbSummary.Json(rows).ToJsonString(Indented));
    }

    [Fact]
    public void PairSummary_FixedSlices_ExactMarkdownAndJson()
    {
        var preset = AbVariants.Preset("mtls")!.Take(3).ToList(); // plaintext, mtls, mtls-h2
        var slices = new List<AbSlice>();
        for (var round = 1; round <= 2; round++)
        {
            for (var slice = 0; slice < 4; slice++)
            {
                slices.Add(new AbSlice("plaintext", round, slice, 10_000, 0.9 + (0.01 * slice), null, 0.4, 1.0 + (0.1 * slice)));
                slices.Add(new AbSlice("mtls", round, slice, 10_000 - slice, 1.1 + (0.02 * round), null, 0.5, slice == 3 ? double.NaN : 1.03 + (0.12 * slice)));
                slices.Add(new AbSlice("mtls-h2", round, slice, 9_000, 1.3, null, 0.6 + (0.01 * slice), 1.5 + (0.2 * round)));
            }
        }

        var figures = new Dictionary<string, AbHopFigures>(StringComparer.Ordinal)
        {
            ["plaintext"] = new AbHopFigures(0.4, 0.9, 5, 0, 60, true, 0),
            ["mtls"] = new AbHopFigures(0.45, 0.95, 6.25, 3, 60, true, 2),
            ["mtls-h2"] = new AbHopFigures(0.5, 1.7, 7, null, 60, false),
        };

        var rows = AbHopSummary.Rows(preset, slices, figures);

        Assert.Equal(HopMarkdown, AbHopSummary.Markdown(rows));
        Assert.Equal(HopJson, AbHopSummary.Json(rows).ToJsonString(Indented));
    }
}
