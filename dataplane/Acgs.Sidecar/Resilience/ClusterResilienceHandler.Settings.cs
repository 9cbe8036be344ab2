// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Resilience;

/// <content>Reading the cluster's settings: a reference check per request, real work only when they change.</content>
internal sealed partial class ClusterResilienceHandler
{
    private AppliedSettings Current()
    {
        var settings = _source.Get(_clusterId);
        var applied = Volatile.Read(ref _applied);
        return applied is not null && ReferenceEquals(applied.Settings, settings) ? applied : Apply(settings, applied);
    }

    // Rare: the first request, and the first request after a config change. Races are benign
    // (two threads build equal states; the breaker settings are idempotent).
    private AppliedSettings Apply(ClusterResilience settings, AppliedSettings? previous)
    {
        var errors = settings is null ? ["the settings source returned null"] : settings.Validate();
        if (errors.Count > 0)
        {
            SettingsRejected(_clusterId, string.Join("; ", errors));
            var fallback = previous ?? new AppliedSettings(ClusterResilience.For(_clusterId), null);
            if (previous is null)
            {
                Volatile.Write(ref _applied, fallback);
            }

            return fallback;
        }

        if (!_breaker.Options.Equals(settings!.Breaker))
        {
            _breaker.UpdateOptions(settings.Breaker);
        }

        RetryBudget? budget = null;
        if (settings.Retry.Enabled)
        {
            budget = previous?.Budget is { } kept && kept.Matches(settings.Retry) ? kept : RetryBudget.For(settings.Retry, _time);
        }

        var next = new AppliedSettings(settings, budget);
        Volatile.Write(ref _applied, next);
        SettingsApplied(
            _clusterId,
            settings.Breaker.FailMax,
            settings.Breaker.ResetTimeout.TotalSeconds,
            next.Timeout == Timeout.InfiniteTimeSpan ? -1 : next.Timeout.TotalMilliseconds,
            settings.Retry.MaxAttempts,
            settings.FailureStatuses.ToString());
        return next;
    }

    /// <summary>The settings of a cluster as the request path uses them.</summary>
    internal sealed class AppliedSettings
    {
        public AppliedSettings(ClusterResilience settings, RetryBudget? budget)
        {
            Settings = settings;
            Budget = budget;
            Timeout = settings.EffectiveTimeout;
        }

        /// <summary>The source's instance (compared by reference).</summary>
        public ClusterResilience Settings { get; }

        /// <summary>Whole-request timeout; infinite means none.</summary>
        public TimeSpan Timeout { get; }

        /// <summary>The retry settings.</summary>
        public RetrySettings Retry => Settings.Retry;

        /// <summary>The retry budget; null when retries are disabled.</summary>
        public RetryBudget? Budget { get; }
    }
}
