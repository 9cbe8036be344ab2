// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Policies;

/// <summary>
/// A chaos rule on the target (kind <c>FaultInjection</c>, docs/control-plane.md): delay and/or abort a share of
/// requests, or force its breaker open, for a bounded time after which the rule expires by itself.
/// </summary>
/// <param name="DelayMs">Added latency in milliseconds (0–5000). Default 0.</param>
/// <param name="AbortStatus">Status returned instead of forwarding (400–599), or <see langword="null"/> for none.</param>
/// <param name="Percentage">Share of requests affected, 0–100. Default 100.</param>
/// <param name="DurationSeconds">How long the rule lasts, 1–300 seconds. Default 60.</param>
/// <param name="Route">Only requests under this path prefix; <see langword="null"/> for all.</param>
/// <param name="ForceOpenBreaker">Force the target's breaker open for the duration.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record FaultInjectionSpec(
    int DelayMs = 0,
    int? AbortStatus = null,
    double Percentage = 100,
    int DurationSeconds = 60,
    string? Route = null,
    bool ForceOpenBreaker = false) : PolicySpec
{
    /// <summary>Largest <see cref="DelayMs"/>.</summary>
    public const int MaxDelayMs = 5_000;

    /// <summary>Largest <see cref="DurationSeconds"/>.</summary>
    public const int MaxDurationSeconds = 300;

    /// <inheritdoc/>
    [JsonIgnore]
    public override PolicyKind Kind => PolicyKind.FaultInjection;

    internal override void Validate(ValidationBuilder errors, string path)
    {
        errors.Range(DelayMs, 0, MaxDelayMs, ValidationPath.Child(path, "delay_ms"));
        if (AbortStatus is { } status)
        {
            errors.Range(status, 400, 599, ValidationPath.Child(path, "abort_status"));
        }

        errors.Range(Percentage, 0, 100, ValidationPath.Child(path, "percentage"));
        errors.Range(DurationSeconds, 1, MaxDurationSeconds, ValidationPath.Child(path, "duration_seconds"));
        if (Route is not null)
        {
            errors.PathPrefix(Route, ValidationPath.Child(path, "route"));
        }

        if (DelayMs == 0 && AbortStatus is null && !ForceOpenBreaker)
        {
            errors.Add(path, "must inject something: delay_ms, abort_status or force_open_breaker");
        }
    }
}
