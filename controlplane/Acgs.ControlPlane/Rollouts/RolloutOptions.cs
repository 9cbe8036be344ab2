// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Globalization;
using Acgs.Contracts.Health;
using Acgs.ControlPlane.HealthAggregation;
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

    /// <summary>Whether a watched service without health reports fails a check by default (<c>ACGS_ROLLOUT_REQUIRE_HEALTH_DATA</c>, true/false). Default true.</summary>
    public bool RequireHealthData { get; init; } = true;

    /// <summary>Whether an open breaker of the green cluster in any caller's report fails a check by default (<c>ACGS_ROLLOUT_GREEN_BREAKER</c>, true/false). Default true.</summary>
    public bool GreenBreaker { get; init; } = true;

    /// <summary>Finished rollouts kept for the API (<c>ACGS_ROLLOUT_KEEP_FINISHED</c>), 0–10000; the oldest go first. Default 100.</summary>
    public int KeepFinished { get; init; } = 100;

    /// <summary>Reads every setting, reporting every problem at once.</summary>
    public static bool TryRead(IConfiguration configuration, out RolloutOptions options, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? Get(string variable, string key)
        {
            var value = configuration[variable];
            value = string.IsNullOrWhiteSpace(value) ? configuration["Rollouts:" + key] : value;
            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }

        var problems = new List<string>();
        var result = new RolloutOptions();
        if (Get("ACGS_ROLLOUT_TICK_MS", "TickMs") is { } tick)
        {
            if (int.TryParse(tick, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms is >= 10 and <= 60_000)
            {
                result = result with { TickInterval = TimeSpan.FromMilliseconds(ms) };
            }
            else
            {
                problems.Add("ACGS_ROLLOUT_TICK_MS must be a number of milliseconds between 10 and 60000");
            }
        }

        if (Get("ACGS_ROLLOUT_ANALYSIS_INTERVAL_SECONDS", "AnalysisIntervalSeconds") is { } interval)
        {
            if (TryNumber(interval, 0.05, 3600, out var seconds))
            {
                result = result with { AnalysisInterval = TimeSpan.FromSeconds(seconds) };
            }
            else
            {
                problems.Add("ACGS_ROLLOUT_ANALYSIS_INTERVAL_SECONDS must be a number of seconds between 0.05 and 3600");
            }
        }

        if (Get("ACGS_ROLLOUT_MIN_HEALTH_SCORE", "MinHealthScore") is { } score)
        {
            if (TryNumber(score, 0, 1, out var value))
            {
                result = result with { MinHealthScore = value };
            }
            else
            {
                problems.Add("ACGS_ROLLOUT_MIN_HEALTH_SCORE must be a number between 0 and 1");
            }
        }

        if (Get("ACGS_ROLLOUT_FAILURE_LIMIT", "FailureLimit") is { } limit)
        {
            if (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 100)
            {
                result = result with { FailureLimit = value };
            }
            else
            {
                problems.Add("ACGS_ROLLOUT_FAILURE_LIMIT must be a whole number between 0 and 100");
            }
        }

        if (Get("ACGS_ROLLOUT_STEP_PAUSE_SECONDS", "StepPauseSeconds") is { } pause)
        {
            if (TryNumber(pause, 0, MaxPauseSeconds, out var seconds))
            {
                result = result with { StepPause = TimeSpan.FromSeconds(seconds) };
            }
            else
            {
                problems.Add("ACGS_ROLLOUT_STEP_PAUSE_SECONDS must be a number of seconds between 0 and 86400");
            }
        }

        if (Get("ACGS_ROLLOUT_DEFAULT_STEPS", "DefaultSteps") is { } steps)
        {
            if (TryWeights(steps, out var weights))
            {
                result = result with { DefaultWeights = weights };
            }
            else
            {
                problems.Add($"ACGS_ROLLOUT_DEFAULT_STEPS must be 1-{MaxSteps} comma-separated weights between 0 and 100, e.g. 10,50,100");
            }
        }

        if (Get("ACGS_ROLLOUT_REQUIRE_HEALTH_DATA", "RequireHealthData") is { } require)
        {
            if (bool.TryParse(require, out var value))
            {
                result = result with { RequireHealthData = value };
            }
            else
            {
                problems.Add("ACGS_ROLLOUT_REQUIRE_HEALTH_DATA must be true or false");
            }
        }

        if (Get("ACGS_ROLLOUT_GREEN_BREAKER", "GreenBreaker") is { } breaker)
        {
            if (bool.TryParse(breaker, out var value))
            {
                result = result with { GreenBreaker = value };
            }
            else
            {
                problems.Add("ACGS_ROLLOUT_GREEN_BREAKER must be true or false");
            }
        }

        if (Get("ACGS_ROLLOUT_KEEP_FINISHED", "KeepFinished") is { } keep)
        {
            if (int.TryParse(keep, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 10_000)
            {
                result = result with { KeepFinished = value };
            }
            else
            {
                problems.Add("ACGS_ROLLOUT_KEEP_FINISHED must be a whole number between 0 and 10000");
            }
        }

        options = result;
        errors = problems;
        return problems.Count == 0;
    }

    private static bool TryNumber(string text, double min, double max, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && value >= min && value <= max;

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
