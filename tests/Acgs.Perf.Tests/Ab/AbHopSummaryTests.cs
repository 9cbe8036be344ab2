// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Perf.Ab;

namespace Acgs.Perf.Tests.Ab;

public sealed class AbHopSummaryTests
{
    private static readonly AbVariant Plain = AbVariants.Preset("mtls")![0];
    private static readonly AbVariant Mtls = AbVariants.Preset("mtls")![1];

    // A slice of 10,000 requests: client + server CPU seconds (server part given) and the slice's p90.
    private static AbSlice Slice(string variant, int slice, double clientSeconds, double serverSeconds, double p90) =>
        new(variant, 1, slice, 10_000, clientSeconds + serverSeconds, null, serverSeconds, p90);

    private static Dictionary<string, AbHopFigures> Figures(bool valid = true) => new(StringComparer.Ordinal)
    {
        ["plaintext"] = new AbHopFigures(0.4, 0.9, 5, 0, 30, valid),
        ["mtls"] = new AbHopFigures(0.45, 0.95, 6, 3, 30, valid),
    };

    [Fact]
    public void Preset_Mtls_PlaintextBaselineAndGoalsOf25PercentAnd01Ms()
    {
        Assert.Equal(AbHop.Plaintext, Plain.Hop);
        Assert.Null(Plain.Baseline);
        Assert.Equal(AbHop.Mtls, Mtls.Hop);
        Assert.Equal("plaintext", Mtls.Baseline);
        Assert.Equal(1.25, Mtls.Goal);
        Assert.Equal(0.1, Mtls.P90GoalMs);
    }

    [Fact]
    public void Rows_ClientAndServerCpuSplit_HandshakesPerSecond_P90DeltaOfPairedSlicesMet()
    {
        // p90 differences per slice: +0.02, +0.04, +0.06 (median +0.04, 75th +0.05 <= 0.1).
        AbSlice[] slices =
        [
            Slice("plaintext", 0, 0.5, 0.4, 1.00), Slice("mtls", 0, 0.6, 0.5, 1.02),
            Slice("plaintext", 1, 0.5, 0.4, 1.10), Slice("mtls", 1, 0.6, 0.5, 1.14),
            Slice("plaintext", 2, 0.5, 0.4, 0.90), Slice("mtls", 2, 0.6, 0.5, 0.96),
        ];

        var rows = AbHopSummary.Rows([Plain, Mtls], slices, Figures());

        Assert.Equal("baseline", rows[0].P90Verdict);
        Assert.Equal(50, rows[0].ClientCpuUs, 6);
        Assert.Equal(40, rows[0].ServerCpuUs, 6);
        Assert.Equal(90, rows[0].BothCpuUs, 6);
        Assert.Equal(60, rows[1].ClientCpuUs, 6);
        Assert.Equal(50, rows[1].ServerCpuUs, 6);
        Assert.Equal(0.1, rows[1].HandshakesPerSecond!.Value, 6);
        Assert.Equal(0.04, rows[1].P90DeltaMs!.Value, 6);
        Assert.Equal(0.03, rows[1].P90DeltaLow!.Value, 6);
        Assert.Equal(0.05, rows[1].P90DeltaHigh!.Value, 6);
        Assert.Equal("met", rows[1].P90Verdict);
        Assert.Contains("| mtls | mTLS | plaintext | 60.0 | 50.0 | 110.0 | 0.10 (3 in 30 s)", AbHopSummary.Markdown(rows), StringComparison.Ordinal);
        Assert.Equal("met", (string)AbHopSummary.Json(rows)["mtls"]!["p90_verdict"]!);
    }

    [Fact]
    public void Rows_SlicesAllFarAboveGoal_NotMet()
    {
        AbSlice[] slices = [Slice("plaintext", 0, 0.5, 0.4, 1.0), Slice("mtls", 0, 0.6, 0.5, 1.5), Slice("plaintext", 1, 0.5, 0.4, 1.0), Slice("mtls", 1, 0.6, 0.5, 1.4)];

        var rows = AbHopSummary.Rows([Plain, Mtls], slices, Figures());

        Assert.Equal("not met", rows[1].P90Verdict);
    }

    [Fact]
    public void Rows_SlicesDisagreeMoreThanTheGoal_Inconclusive()
    {
        // Differences -0.5, 0, +0.5: the median is within the goal but the spread is ten times it.
        AbSlice[] slices =
        [
            Slice("plaintext", 0, 0.5, 0.4, 1.5), Slice("mtls", 0, 0.6, 0.5, 1.0),
            Slice("plaintext", 1, 0.5, 0.4, 1.0), Slice("mtls", 1, 0.6, 0.5, 1.0),
            Slice("plaintext", 2, 0.5, 0.4, 1.0), Slice("mtls", 2, 0.6, 0.5, 1.5),
        ];

        var rows = AbHopSummary.Rows([Plain, Mtls], slices, Figures());

        Assert.StartsWith("inconclusive (slices disagree", rows[1].P90Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_InvalidRound_Inconclusive()
    {
        AbSlice[] slices = [Slice("plaintext", 0, 0.5, 0.4, 1.0), Slice("mtls", 0, 0.6, 0.5, 1.0)];

        var rows = AbHopSummary.Rows([Plain, Mtls], slices, Figures(valid: false));

        Assert.Equal("inconclusive (invalid rounds)", rows[1].P90Verdict);
    }
}
