// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Policies;

/// <summary>Requests for <paramref name="Hosts"/> under <paramref name="PathPrefix"/> go to <paramref name="Cluster"/> (kind <c>Route</c>).</summary>
/// <param name="Hosts">Host names (optionally <c>host:port</c>) matched against Host/authority, case-insensitively. Empty matches any host.</param>
/// <param name="PathPrefix">Path prefix, matched by whole segments. Default <c>/</c>.</param>
/// <param name="Cluster">The cluster (upstream service) that receives the traffic.</param>
/// <param name="Destinations">Static destinations (absolute http/https URLs) added to the cluster's discovered ones.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RouteSpec(
    ImmutableArray<string> Hosts = default,
    string PathPrefix = "/",
    string Cluster = "",
    ImmutableArray<string> Destinations = default) : PolicySpec
{
    /// <summary>Most hosts or destinations in one route.</summary>
    public const int MaxEntries = 64;

    /// <inheritdoc/>
    [JsonIgnore]
    public override PolicyKind Kind => PolicyKind.Route;

    /// <summary>Host names (optionally <c>host:port</c>); empty matches any host.</summary>
    public ImmutableArray<string> Hosts { get; init => field = value.IsDefault ? [] : value; } = Hosts.IsDefault ? [] : Hosts;

    /// <summary>Static destinations (absolute http/https URLs).</summary>
    public ImmutableArray<string> Destinations { get; init => field = value.IsDefault ? [] : value; } = Destinations.IsDefault ? [] : Destinations;

    internal override void Validate(ValidationBuilder errors, string path)
    {
        var hostsPath = ValidationPath.Child(path, "hosts");
        if (Hosts.Length > MaxEntries)
        {
            errors.Add(hostsPath, $"must hold at most {MaxEntries} hosts");
        }

        for (var i = 0; i < Hosts.Length; i++)
        {
            var host = Hosts[i];
            if (string.IsNullOrWhiteSpace(host) || host.Length > 253 || CharacterRules.HasHostForbidden(host))
            {
                errors.Add(ValidationPath.Index(hostsPath, i), "must be a host name or host:port");
            }
        }

        errors.PathPrefix(PathPrefix, ValidationPath.Child(path, "path_prefix"));
        errors.ServiceName(Cluster, ValidationPath.Child(path, "cluster"));

        var destinationsPath = ValidationPath.Child(path, "destinations");
        if (Destinations.Length > MaxEntries)
        {
            errors.Add(destinationsPath, $"must hold at most {MaxEntries} destinations");
        }

        for (var i = 0; i < Destinations.Length; i++)
        {
            if (!Uri.TryCreate(Destinations[i], UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            {
                errors.Add(ValidationPath.Index(destinationsPath, i), "must be an absolute http or https URL without credentials, query or fragment");
            }
        }
    }
}
