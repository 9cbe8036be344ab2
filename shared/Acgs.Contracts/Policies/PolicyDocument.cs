// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;
using Acgs.Core;

namespace Acgs.Contracts.Policies;

/// <summary>
/// A typed policy (docs/control-plane.md), in the manner of Kuma's <c>Mesh*</c> policies:
/// <code>{"kind":"CircuitBreaker","name":"audit-breaker","target":"audit-ledger","constitutional_hash":"…","spec":{"fail_max":7,"reset_timeout_seconds":60}}</code>
/// <see cref="Kind"/> stays a string so that an unknown kind reaches <see cref="PolicyValidator"/> and is reported with
/// every other problem; <see cref="Spec"/> is the typed spec of a known kind.
/// </summary>
[JsonConverter(typeof(PolicyDocumentJsonConverter))]
public sealed record PolicyDocument
{
    /// <summary>The <see cref="Target"/> meaning "every service".</summary>
    public const string MeshTarget = "mesh";

    /// <summary>The kind name, one of <see cref="PolicyKinds.Names"/> (JSON <c>kind</c>).</summary>
    public string Kind { get; init; } = string.Empty;

    /// <summary>Unique policy name (JSON <c>name</c>).</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>A service name, or <see cref="MeshTarget"/> (default) for the whole mesh (JSON <c>target</c>).</summary>
    public string Target { get; init; } = MeshTarget;

    /// <summary>The constitutional hash the policy was written under; must be accepted (JSON <c>constitutional_hash</c>).</summary>
    public string? ConstitutionalHash { get; init; }

    /// <summary>The typed spec (JSON <c>spec</c>); its type matches <see cref="Kind"/>.</summary>
    public PolicySpec? Spec { get; init; }

    /// <summary>True when the policy applies to every service.</summary>
    public bool IsMeshWide => string.Equals(Target, MeshTarget, StringComparison.Ordinal);

    /// <summary>A policy of <paramref name="spec"/>'s kind.</summary>
    public static PolicyDocument Create(string name, string target, PolicySpec spec, string constitutionalHash = AcgsConstants.ConstitutionalHash)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new PolicyDocument
        {
            Kind = PolicyKinds.ToName(spec.Kind),
            Name = name,
            Target = target,
            ConstitutionalHash = constitutionalHash,
            Spec = spec,
        };
    }

    /// <summary>Parses <see cref="Kind"/>.</summary>
    public bool TryGetKind(out PolicyKind kind) => PolicyKinds.TryParse(Kind, out kind);
}
