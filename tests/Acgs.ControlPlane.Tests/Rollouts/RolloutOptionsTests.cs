// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Rollouts;
using Microsoft.Extensions.Configuration;

namespace Acgs.ControlPlane.Tests.Rollouts;

/// <summary>ACGS_ROLLOUT_* settings: defaults, parsing, every error at once.</summary>
public sealed class RolloutOptionsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void TryRead_Nothing_UsesDocumentedDefaults()
    {
        Assert.True(RolloutOptions.TryRead(Config(), out var options, out var errors));

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromSeconds(1), options.TickInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AnalysisInterval);
        Assert.Equal(0.7, options.MinHealthScore);
        Assert.Equal(2, options.FailureLimit);
        Assert.Equal(TimeSpan.FromSeconds(60), options.StepPause);
        Assert.Equal([10, 50, 100], options.DefaultWeights.ToArray());
        Assert.True(options.RequireHealthData);
        Assert.True(options.GreenBreaker);
        Assert.Equal(100, options.KeepFinished);
    }

    [Fact]
    public void TryRead_ValidValues_ParsesEverySetting()
    {
        Assert.True(RolloutOptions.TryRead(
            Config(
                ("ACGS_ROLLOUT_TICK_MS", "250"),
                ("ACGS_ROLLOUT_ANALYSIS_INTERVAL_SECONDS", "2.5"),
                ("ACGS_ROLLOUT_MIN_HEALTH_SCORE", "0.9"),
                ("ACGS_ROLLOUT_FAILURE_LIMIT", "0"),
                ("ACGS_ROLLOUT_STEP_PAUSE_SECONDS", "120"),
                ("ACGS_ROLLOUT_DEFAULT_STEPS", "5, 25,100"),
                ("ACGS_ROLLOUT_REQUIRE_HEALTH_DATA", "false"),
                ("ACGS_ROLLOUT_GREEN_BREAKER", "False"),
                ("Rollouts:KeepFinished", "7")),
            out var options,
            out _));

        Assert.Equal(TimeSpan.FromMilliseconds(250), options.TickInterval);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.AnalysisInterval);
        Assert.Equal(0.9, options.MinHealthScore);
        Assert.Equal(0, options.FailureLimit);
        Assert.Equal(TimeSpan.FromSeconds(120), options.StepPause);
        Assert.Equal([5, 25, 100], options.DefaultWeights.ToArray());
        Assert.False(options.RequireHealthData);
        Assert.False(options.GreenBreaker);
        Assert.Equal(7, options.KeepFinished);
    }

    [Fact]
    public void TryRead_EveryValueInvalid_ReportsEveryErrorAtOnce()
    {
        var ok = RolloutOptions.TryRead(
            Config(
                ("ACGS_ROLLOUT_TICK_MS", "5"),
                ("ACGS_ROLLOUT_ANALYSIS_INTERVAL_SECONDS", "NaN"),
                ("ACGS_ROLLOUT_MIN_HEALTH_SCORE", "1.1"),
                ("ACGS_ROLLOUT_FAILURE_LIMIT", "-1"),
                ("ACGS_ROLLOUT_STEP_PAUSE_SECONDS", "90000"),
                ("ACGS_ROLLOUT_DEFAULT_STEPS", "10,x,100"),
                ("ACGS_ROLLOUT_REQUIRE_HEALTH_DATA", "maybe"),
                ("ACGS_ROLLOUT_GREEN_BREAKER", "2"),
                ("ACGS_ROLLOUT_KEEP_FINISHED", "20000")),
            out _,
            out var errors);

        Assert.False(ok);
        Assert.Equal(9, errors.Count);
        Assert.Equal(9, errors.Select(e => e.Split(' ')[0]).Distinct().Count());
    }

    [Fact]
    public void AddAcgsRollouts_InvalidSettings_ThrowsListingThem()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();

        var error = Assert.Throws<InvalidOperationException>(() => services.AddAcgsRollouts(Config(("ACGS_ROLLOUT_TICK_MS", "0"), ("ACGS_ROLLOUT_MIN_HEALTH_SCORE", "-2"))));

        Assert.Contains("ACGS_ROLLOUT_TICK_MS", error.Message, StringComparison.Ordinal);
        Assert.Contains("ACGS_ROLLOUT_MIN_HEALTH_SCORE", error.Message, StringComparison.Ordinal);
    }
}
