// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Store;

namespace Acgs.ControlPlane.Policies;

/// <summary>What a registry operation produced: a status, the policy after it, and every error.</summary>
internal sealed record RegistryResult(RegistryStatus Status, PolicyRecord? Policy, IReadOnlyList<string> Errors)
{
    /// <summary>A failed result with errors.</summary>
    public static RegistryResult Fail(RegistryStatus status, params string[] errors) => new(status, null, errors);

    /// <summary>A successful result.</summary>
    public static RegistryResult Success(RegistryStatus status, PolicyRecord policy) => new(status, policy, []);
}
