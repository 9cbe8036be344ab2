// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Core.ConstitutionalHash;

/// <summary>Stable, allocation-free names for <see cref="HashValidationResult"/> (metric labels, error codes).</summary>
public static class HashValidationResultExtensions
{
    /// <summary>The lowercase reason name used in metrics and problem documents.</summary>
    public static string ToReason(this HashValidationResult result) => result switch
    {
        HashValidationResult.Valid => "valid",
        HashValidationResult.Missing => "missing",
        HashValidationResult.Empty => "empty",
        HashValidationResult.Repeated => "repeated",
        HashValidationResult.Malformed => "malformed",
        HashValidationResult.Mismatch => "mismatch",
        _ => "unknown",
    };
}
