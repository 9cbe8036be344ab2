// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;
using Acgs.Contracts.Config;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Policies;

/// <summary>Mutual TLS mode of a service or the mesh (kind <c>MutualTls</c>): disabled, permissive (default) or strict.</summary>
/// <param name="Mode">disabled, permissive or strict.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record MutualTlsSpec(MutualTlsMode Mode = MutualTlsMode.Permissive) : PolicySpec
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override PolicyKind Kind => PolicyKind.MutualTls;

    internal override void Validate(ValidationBuilder errors, string path)
    {
        if (!Enum.IsDefined(Mode))
        {
            errors.Add(ValidationPath.Child(path, "mode"), "must be disabled, permissive or strict");
        }
    }
}
