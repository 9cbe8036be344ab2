// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Policies;

namespace Acgs.ControlPlane.Compiler;

/// <summary>An active policy version, parsed: what the compiler works from; <paramref name="ActivatedAt"/> starts a fault rule's lifetime.</summary>
internal sealed record ActivePolicy(string PolicyId, string Version, PolicyDocument Document, DateTimeOffset? ActivatedAt = null)
{
    /// <summary>The stored canonical content it was parsed from (empty when built in code): part of its identity for <see cref="IncrementalCompiler"/>.</summary>
    public string Content { get; init; } = string.Empty;
}
