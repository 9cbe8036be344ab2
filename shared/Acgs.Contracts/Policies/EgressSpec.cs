// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Policies;

/// <summary>
/// The services the target's sidecars call (kind <c>Egress</c>, docs/control-plane.md), as Istio's <c>Sidecar</c> resource
/// scopes egress hosts: the target's snapshot holds only these clusters (plus those its Route policies and the traffic splits
/// of these services name) instead of every cluster of the mesh. A request to any other service gets 404
/// <c>urn:acgs:no-route</c>. Without an Egress policy a snapshot holds every cluster.
/// </summary>
/// <param name="Services">Service (cluster) names, at most <see cref="MaxServices"/>, no duplicates; required (a left-out list
/// would silently cut every outbound route of the target); <c>[]</c> = calls no service.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record EgressSpec(ImmutableArray<string> Services = default) : PolicySpec
{
    /// <summary>Most services one Egress policy lists.</summary>
    public const int MaxServices = 256;

    /// <summary>False when the list was left out (the JSON had no <c>services</c>): refused by validation.</summary>
    private readonly bool _listed = !Services.IsDefault;

    /// <inheritdoc/>
    [JsonIgnore]
    public override PolicyKind Kind => PolicyKind.Egress;

    /// <summary>Service (cluster) names the target calls.</summary>
    public ImmutableArray<string> Services { get; init => field = value.IsDefault ? [] : value; } = Services.IsDefault ? [] : Services;

    internal override void Validate(ValidationBuilder errors, string path)
    {
        var servicesPath = ValidationPath.Child(path, "services");
        if (!_listed)
        {
            errors.Add(servicesPath, "is required: the services the target calls ([] for none)");
            return;
        }

        if (Services.Length > MaxServices)
        {
            errors.Add(servicesPath, $"must hold at most {MaxServices} services");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Services.Length; i++)
        {
            var itemPath = ValidationPath.Index(servicesPath, i);
            if (errors.ServiceName(Services[i], itemPath) && !seen.Add(Services[i]))
            {
                errors.Add(itemPath, "appears more than once");
            }
        }
    }
}
