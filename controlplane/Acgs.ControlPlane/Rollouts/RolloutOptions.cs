// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Globalization;
using Acgs.ControlPlane.HealthAggregation;
using Acgs.Core.Settings;
using Microsoft.Extensions.Configuration;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>
/// Rollout settings: the controller's tick and the defaults of a rollout that does not say otherwise. Each has an
/// environment variable and a config-file key (<c>Rollouts:...</c>); the variable wins. <see cref="TryRead"/> reports
/// every invalid setting at once.
/// </summary>
internal sealed record RolloutOptions
{
    /// <summary>Most steps a rollout may have.</summary>
    public const int MaxSteps = 32;

    /// <summary>Longest step pause or pre/post-promotion window, in seconds (one day).</summary>
    public const double MaxPauseSeconds = 86_400;

    /// <summary>How often the controller advances rollouts (<c>ACGS_ROLLOUT_TICK_MS</c>, <c>Rollouts:TickMs</c>), 10–60000 ms. Default 1000 ms.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Default time between analysis checks (<c>ACGS_ROLLOUT_ANALYSIS_INTERVAL_SECONDS</c>), 0.05–3600 s. Default 10 s.</summary>
    public TimeSpan AnalysisInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Default minimum health score (<c>ACGS_ROLLOUT_MIN_HEALTH_SCORE</c>), 0–1. Default 0.7 (the HEALTHY threshold).</summary>
    public double MinHealthScore { get; init; } = HealthScore.HealthyThreshold;

    /// <summary>Default failed checks in a row tolerated before a rollback (<c>ACGS_ROLLOUT_FAILURE_LIMIT</c>), 0–100. Default 2 (the third rolls back).</summary>
    public int FailureLimit { get; init; } = 2;

    /// <summary>Default pause of a step that names none, and of the blue-green pre-promotion window (<c>ACGS_ROLLOUT_STEP_PAUSE_SECONDS</c>), 0–86400 s. Default 60 s.</summary>
    public TimeSpan StepPause { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Default canary weights when a rollout names no steps (<c>ACGS_ROLLOUT_DEFAULT_STEPS</c>, comma-separated 0–100). Default 10,50,100.</summary>
    public ImmutableArray<int> DefaultWeights { get; init; } = [10, 50, 100];

    /// <summary>Whether a watched service without health reports fails a check by default (<c>ACGS_ROLLOUT_REQUIRE_HEALTH_DATA</c>, a boolean). Default true.</summary>
    public bool RequireHealthData { get; init; } = true;

    /// <summary>Whether an open breaker of the green cluster in any caller's report fails a check by default (<c>ACGS_ROLLOUT_GREEN_BREAKER</c>, a boolean). Default true.</summary>
    public bool GreenBreaker { get; init; } = true;

    /// <summary>Finished rollouts kept for the API (<c>ACGS_ROLLOUT_KEEP_FINISHED</c>), 0–10000; the oldest go first. Default 100.</summary>
    public int KeepFinished { get; init; } = 100;

    /// <summary>The config-file key of each variable (the variable wins).</summary>
    public static IReadOnlyList<(string Variable, string Key)> FileKeys { get; } =
    [
        ("ACGS_ROLLOUT_TICK_MS", "Rollouts:TickMs"), ("ACGS_ROLLOUT_ANALYSIS_INTERVAL_SECONDS", "Rollouts:AnalysisIntervalSeconds"),
        ("ACGS_ROLLOUT_MIN_HEALTH_SCORE", "Rollouts:MinHealthScore"), ("ACGS_ROLLOUT_FAILURE_LIMIT", "Rollouts:FailureLimit"),
        ("ACGS_ROLLOUT_STEP_PAUSE_SECONDS", "Rollouts:StepPauseSeconds"), ("ACGS_ROLLOUT_DEFAULT_STEPS", "Rollouts:DefaultSteps"),
        ("ACGS_ROLLOUT_REQUIRE_HEALTH_DATA", "Rollouts:RequireHealthData"), ("ACGS_ROLLOUT_GREEN_BREAKER", "Rollouts:GreenBreaker"),
        ("ACGS_ROLLOUT_KEEP_FINISHED", "Rollouts:KeepFinished"),
    ];

    /// <summary>Reads every setting from <paramref name="configuration"/>, reporting every problem at once.</summary>
    public static bool TryRead(IConfiguration configuration, out RolloutOptions options, out IReadOnlyList<string> errors)
    {
        var settings = Hosting.ConfigurationSettings.Reader(configuration, FileKeys);
        options = Read(settings);
        errors = settings.Problems;
        return settings.IsValid;
    }

    /// <summary>Reads every setting through <paramref name="settings"/>, which collects the problems.</summary>
    public static RolloutOptions Read(SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var d = new RolloutOptions();
        return d with
        {
            TickInterval = settings.Milliseconds("ACGS_ROLLOUT_TICK_MS", d.TickInterval, 10, 60_000),
            AnalysisInterval = settings.Seconds("ACGS_ROLLOUT_ANALYSIS_INTERVAL_SECONDS", d.AnalysisInterval, 0.05, 3600),
            MinHealthScore = settings.Number("ACGS_ROLLOUT_MIN_HEALTH_SCORE", d.MinHealthScore, 0, 1),
            FailureLimit = settings.WholeNumber("ACGS_ROLLOUT_FAILURE_LIMIT", d.FailureLimit, 0, 100),
            StepPause = settings.Seconds("ACGS_ROLLOUT_STEP_PAUSE_SECONDS", d.StepPause, 0, MaxPauseSeconds),
            DefaultWeights = settings.Parse("ACGS_ROLLOUT_DEFAULT_STEPS", d.DefaultWeights, TryWeights,
                string.Create(CultureInfo.InvariantCulture, $"1 to {MaxSteps} comma-separated weights from 0 to 100, e.g. 10,50,100")),
            RequireHealthData = settings.Bool("ACGS_ROLLOUT_REQUIRE_HEALTH_DATA", d.RequireHealthData),
            GreenBreaker = settings.Bool("ACGS_ROLLOUT_GREEN_BREAKER", d.GreenBreaker),
            KeepFinished = settings.WholeNumber("ACGS_ROLLOUT_KEEP_FINISHED", d.KeepFinished, 0, 10_000),
        };
    }

    private static bool TryWeights(string text, out ImmutableArray<int> weights)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var builder = ImmutableArray.CreateBuilder<int>(parts.Length);
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var weight) || weight > 100)
            {
                weights = [];
                return false;
            }

            builder.Add(weight);
        }

        weights = builder.ToImmutable();
        return parts.Length is >= 1 and <= MaxSteps;
    }
}
