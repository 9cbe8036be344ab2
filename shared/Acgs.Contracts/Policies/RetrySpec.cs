// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Policies;

/// <summary>Retries of requests to the target (kind <c>Retry</c>); always bounded by the sidecar's retry budget.</summary>
/// <param name="Attempts">Retries after the first try (0–10; 0 disables retries). Default 2.</param>
/// <param name="PerTryTimeoutMs">Timeout of each try in milliseconds (0 = none, else 1–600000). Default 0.</param>
/// <param name="RetryOn">Upstream statuses that are retried (400–599). Default 502, 503, 504.</param>
/// <param name="IdempotentOnly">Retry only idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE, TRACE). Default true.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RetrySpec(
    int Attempts = 2,
    int PerTryTimeoutMs = 0,
    ImmutableArray<int> RetryOn = default,
    bool IdempotentOnly = true) : PolicySpec
{
    private static readonly ImmutableArray<int> DefaultRetryOn = [502, 503, 504];

    /// <summary>Largest <see cref="Attempts"/>.</summary>
    public const int MaxAttempts = 10;

    /// <inheritdoc/>
    [JsonIgnore]
    public override PolicyKind Kind => PolicyKind.Retry;

    /// <summary>Upstream statuses that are retried (400–599). Default (when absent) 502, 503, 504.</summary>
    public ImmutableArray<int> RetryOn { get; init => field = value.IsDefault ? DefaultRetryOn : value; } = RetryOn.IsDefault ? DefaultRetryOn : RetryOn;

    internal override void Validate(ValidationBuilder errors, string path)
    {
        errors.Range(Attempts, 0, MaxAttempts, ValidationPath.Child(path, "attempts"));
        errors.Range(PerTryTimeoutMs, 0, TimeoutSpec.MaxRequestTimeoutMs, ValidationPath.Child(path, "per_try_timeout_ms"));
        var retryOn = ValidationPath.Child(path, "retry_on");
        for (var i = 0; i < RetryOn.Length; i++)
        {
            errors.Range(RetryOn[i], 400, 599, ValidationPath.Index(retryOn, i));
        }
    }
}
