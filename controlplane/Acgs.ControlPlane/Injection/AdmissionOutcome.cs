// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Injection;

/// <summary>The answer to one AdmissionReview: a 200 review response, or a 400 with a precise error.</summary>
/// <param name="Response">The AdmissionReview v1 response JSON (UTF-8), or null when malformed.</param>
/// <param name="Error">Why the review was refused, or null.</param>
/// <param name="Result">The metric label: <c>injected</c>, <c>skipped</c> or <c>malformed</c>.</param>
internal sealed record AdmissionOutcome(byte[]? Response, string? Error, string Result)
{
    public static AdmissionOutcome Malformed(string error) => new(null, error, "malformed");
}
