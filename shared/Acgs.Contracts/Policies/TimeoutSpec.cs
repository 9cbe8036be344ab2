// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Policies;

/// <summary>How long a request to the target may take (kind <c>Timeout</c>).</summary>
/// <param name="RequestTimeoutMs">Whole-request timeout in milliseconds (1–600000). Required.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TimeoutSpec(int RequestTimeoutMs = 0) : PolicySpec
{
    /// <summary>Largest <see cref="RequestTimeoutMs"/> (10 minutes).</summary>
    public const int MaxRequestTimeoutMs = 600_000;

    /// <inheritdoc/>
    [JsonIgnore]
    public override PolicyKind Kind => PolicyKind.Timeout;

    internal override void Validate(ValidationBuilder errors, string path) =>
        errors.Range(RequestTimeoutMs, 1, MaxRequestTimeoutMs, ValidationPath.Child(path, "request_timeout_ms"));
}
