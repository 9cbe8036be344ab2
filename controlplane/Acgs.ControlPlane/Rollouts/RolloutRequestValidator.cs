// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Globalization;
using Acgs.Contracts.Validation;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>Validates a <see cref="CreateRolloutRequest"/> into a <see cref="RolloutPlan"/>, reporting every problem at once.</summary>
internal static class RolloutRequestValidator
{
    /// <summary>Longest service name a rollout accepts (its policy id is <c>rollout.&lt;service&gt;</c>, at most 128 characters).</summary>
    public const int MaxServiceLength = 120;

    private const string NameRule = ServiceName.Rule;

    /// <summary>Every problem with <paramref name="request"/>; when there is none, <paramref name="plan"/> is set.</summary>
    public static List<string> Validate(CreateRolloutRequest? request, RolloutOptions options, out RolloutPlan? plan)
    {
        ArgumentNullException.ThrowIfNull(options);
        plan = null;
        var errors = new List<string>();
        if (request is null)
        {
            errors.Add("body: a JSON object with service and green_cluster is required");
            return errors;
        }

        if (!ServiceName.IsValid(request.Service))
        {
            errors.Add("service: " + NameRule);
        }
        else if (request.Service!.Length > MaxServiceLength)
        {
            errors.Add($"service: at most {MaxServiceLength} characters (the split policy is named rollout.<service>)");
        }

        if (request.BlueCluster is not null && !ServiceName.IsValid(request.BlueCluster))
        {
            errors.Add("blue_cluster: " + NameRule);
        }

        if (!ServiceName.IsValid(request.GreenCluster))
        {
            errors.Add("green_cluster: is required and " + NameRule);
        }
        else if (string.Equals(request.GreenCluster, request.BlueCluster, StringComparison.Ordinal))
        {
            errors.Add("green_cluster: must differ from blue_cluster");
        }

        var strategy = request.Strategy ?? RolloutStrategies.Canary;
        var steps = strategy switch
        {
            RolloutStrategies.Canary => CanarySteps(request, options, errors),
            RolloutStrategies.BlueGreen => BlueGreenSteps(request, options, errors),
            _ => Invalid(errors, $"strategy: must be '{RolloutStrategies.Canary}' or '{RolloutStrategies.BlueGreen}'"),
        };
        var analysis = Analysis(request, options, errors);
        if (errors.Count == 0)
        {
            plan = new RolloutPlan(request.Service!, request.BlueCluster, request.GreenCluster!, strategy, steps, analysis);
        }

        return errors;
    }

    private static ImmutableArray<RolloutStep> Invalid(List<string> errors, string error)
    {
        errors.Add(error);
        return [];
    }

    private static ImmutableArray<RolloutStep> CanarySteps(CreateRolloutRequest request, RolloutOptions options, List<string> errors)
    {
        if (request.PrePromotionSeconds is not null || request.PostPromotionSeconds is not null || request.AutoPromote is not null)
        {
            errors.Add("pre_promotion_seconds, post_promotion_seconds and auto_promote: only with strategy 'blue_green'");
        }

        var builder = ImmutableArray.CreateBuilder<RolloutStep>();
        if (request.Steps is null)
        {
            foreach (var weight in options.DefaultWeights)
            {
                builder.Add(new RolloutStep(weight, options.StepPause));
            }
        }
        else if (request.Steps.Count is 0 or > RolloutOptions.MaxSteps)
        {
            errors.Add($"steps: 1-{RolloutOptions.MaxSteps} steps (omit it for the default {string.Join(',', options.DefaultWeights)})");
        }
        else
        {
            for (var i = 0; i < request.Steps.Count; i++)
            {
                var path = string.Create(CultureInfo.InvariantCulture, $"steps[{i}]");
                if (request.Steps[i] is not { } step)
                {
                    errors.Add(path + ": must be an object with weight");
                    continue;
                }

                if (step.Weight is not (>= 0 and <= 100))
                {
                    errors.Add(path + ".weight: is required, a whole number 0-100 (percent of traffic to green)");
                }

                if (step.PauseSeconds is { } seconds && !IsPause(seconds))
                {
                    errors.Add(path + ".pause_seconds: must be 0-86400");
                }

                if (step.WaitForResume == true && step.PauseSeconds is not null)
                {
                    errors.Add(path + ": pause_seconds and wait_for_resume exclude each other");
                }

                builder.Add(new RolloutStep(step.Weight ?? 0, step.WaitForResume == true ? null : step.PauseSeconds is { } s && IsPause(s) ? TimeSpan.FromSeconds(s) : options.StepPause));
            }
        }

        if (builder.Count > 0 && builder[^1].Weight != 100)
        {
            builder.Add(new RolloutStep(100, TimeSpan.Zero));
        }

        return builder.ToImmutable();
    }

    private static ImmutableArray<RolloutStep> BlueGreenSteps(CreateRolloutRequest request, RolloutOptions options, List<string> errors)
    {
        if (request.Steps is not null)
        {
            errors.Add("steps: not with strategy 'blue_green' (use pre_promotion_seconds, post_promotion_seconds, auto_promote)");
        }

        if (request.PrePromotionSeconds is { } pre && !IsPause(pre))
        {
            errors.Add("pre_promotion_seconds: must be 0-86400");
        }

        if (request.PostPromotionSeconds is { } post && !IsPause(post))
        {
            errors.Add("post_promotion_seconds: must be 0-86400");
        }

        if (request.AutoPromote == false && request.PrePromotionSeconds is not null)
        {
            errors.Add("pre_promotion_seconds: not with auto_promote false (the switch waits for a promote or resume)");
        }

        var before = request.AutoPromote == false ? (TimeSpan?)null
            : request.PrePromotionSeconds is { } p && IsPause(p) ? TimeSpan.FromSeconds(p) : options.StepPause;
        var after = request.PostPromotionSeconds is { } q && IsPause(q) ? TimeSpan.FromSeconds(q) : TimeSpan.Zero;
        return [new RolloutStep(0, before), new RolloutStep(100, after)];
    }

    private static RolloutAnalysis Analysis(CreateRolloutRequest request, RolloutOptions options, List<string> errors)
    {
        var given = request.Analysis ?? new RolloutAnalysisRequest();
        var interval = options.AnalysisInterval;
        if (given.IntervalSeconds is { } seconds)
        {
            if (double.IsFinite(seconds) && seconds is >= 0.05 and <= 3600)
            {
                interval = TimeSpan.FromSeconds(seconds);
            }
            else
            {
                errors.Add("analysis.interval_seconds: must be 0.05-3600");
            }
        }

        if (given.MinHealthScore is { } score && !(double.IsFinite(score) && score is >= 0 and <= 1))
        {
            errors.Add("analysis.min_health_score: must be 0-1");
        }

        if (given.FailureLimit is not (null or (>= 0 and <= 100)))
        {
            errors.Add("analysis.failure_limit: must be 0-100 (failed checks in a row tolerated)");
        }

        var services = ImmutableArray.CreateBuilder<string>();
        if (given.Services is null)
        {
            AddDistinct(services, request.Service);
            AddDistinct(services, request.GreenCluster);
        }
        else if (given.Services.Count is 0 or > 16)
        {
            errors.Add("analysis.services: 1-16 service names (omit it for the rolled-out service and the green cluster)");
        }
        else
        {
            for (var i = 0; i < given.Services.Count; i++)
            {
                if (!ServiceName.IsValid(given.Services[i]))
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"analysis.services[{i}]: ") + NameRule);
                }
                else
                {
                    AddDistinct(services, given.Services[i]);
                }
            }
        }

        return new RolloutAnalysis(
            interval,
            given.MinHealthScore is { } min && min is >= 0 and <= 1 ? min : options.MinHealthScore,
            services.ToImmutable(),
            given.FailureLimit is { } limit and >= 0 and <= 100 ? limit : options.FailureLimit,
            given.RequireHealthData ?? options.RequireHealthData,
            given.GreenBreaker ?? options.GreenBreaker);
    }

    private static void AddDistinct(ImmutableArray<string>.Builder services, string? name)
    {
        if (name is not null && ServiceName.IsValid(name) && !services.Contains(name))
        {
            services.Add(name);
        }
    }

    private static bool IsPause(double seconds) => double.IsFinite(seconds) && seconds is >= 0 and <= RolloutOptions.MaxPauseSeconds;
}
