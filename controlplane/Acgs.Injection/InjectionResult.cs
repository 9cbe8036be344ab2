// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Injection;

/// <summary>The decision and, when the pod is injected, the JSONPatch that injects it (empty otherwise).</summary>
/// <param name="Decision">Whether and why.</param>
/// <param name="Patch">The RFC 6902 operations, in order; empty when not injected.</param>
public sealed record InjectionResult(InjectionDecision Decision, IReadOnlyList<JsonPatchOperation> Patch)
{
    /// <summary>The patch as a UTF-8 JSON array.</summary>
    public byte[] PatchJson() => JsonPatch.ToJsonBytes(Patch);
}
