// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Acgs.Contracts.Validation;
using Acgs.Core.CircuitBreaker;

namespace Acgs.Contracts.Policies;

/// <summary>Breaker settings of the target (kind <c>CircuitBreaker</c>; pybreaker's <c>fail_max</c> / <c>reset_timeout</c>).</summary>
/// <param name="FailMax">Consecutive failures that open the breaker (1–10000). Default 5.</param>
/// <param name="ResetTimeoutSeconds">Seconds the breaker stays open before one trial (greater than 0, at most 3600). Default 30.</param>
/// <param name="FailureStatuses">Upstream statuses that count as failures (500–599); empty means the default 502, 503, 504.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CircuitBreakerSpec(
    int FailMax = 5,
    double ResetTimeoutSeconds = 30,
    ImmutableArray<int> FailureStatuses = default) : PolicySpec
{
    /// <summary>Largest <see cref="FailMax"/>.</summary>
    public const int MaxFailMax = 10_000;

    /// <summary>Largest <see cref="ResetTimeoutSeconds"/> (one hour).</summary>
    public const double MaxResetTimeoutSeconds = 3_600;

    /// <inheritdoc/>
    [JsonIgnore]
    public override PolicyKind Kind => PolicyKind.CircuitBreaker;

    /// <summary>Upstream statuses that count as failures (500–599); empty means the default 502, 503, 504.</summary>
    public ImmutableArray<int> FailureStatuses { get; init => field = value.IsDefault ? [] : value; } = FailureStatuses.IsDefault ? [] : FailureStatuses;

    /// <summary>The breaker options these settings describe.</summary>
    public CircuitBreakerOptions ToOptions() => new()
    {
        FailMax = FailMax,
        ResetTimeout = TimeSpan.FromSeconds(ResetTimeoutSeconds),
    };

    internal override void Validate(ValidationBuilder errors, string path)
    {
        errors.Range(FailMax, 1, MaxFailMax, ValidationPath.Child(path, "fail_max"));
        var reset = ValidationPath.Child(path, "reset_timeout_seconds");
        if (errors.Range(ResetTimeoutSeconds, 0, MaxResetTimeoutSeconds, reset) && ResetTimeoutSeconds <= 0)
        {
            errors.Add(reset, "must be greater than 0");
        }

        var statuses = ValidationPath.Child(path, "failure_statuses");
        for (var i = 0; i < FailureStatuses.Length; i++)
        {
            errors.Range(FailureStatuses[i], 500, 599, ValidationPath.Index(statuses, i));
        }
    }
}
