// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.Contracts.Config;

/// <summary>
/// Fills what a JSON document omitted with the documented defaults. The source-generated JSON
/// reader sets omitted <c>init</c> properties to null / default arrays instead of their initial
/// values, so every parsed snapshot goes through here: an omitted (or null) optional member means
/// its default. Required members (<c>version</c>, <c>service_name</c>, <c>constitutional_hash</c>)
/// stay empty so that the validator reports them.
/// </summary>
internal static class ConfigSnapshotDefaults
{
    /// <summary>The snapshot with every omitted optional member set to its default.</summary>
    public static ConfigSnapshot Apply(ConfigSnapshot snapshot)
    {
        var clusters = snapshot.Clusters ?? ImmutableDictionary<string, ClusterConfig>.Empty;
        var builder = clusters.ToBuilder();
        foreach (var (name, cluster) in clusters)
        {
            if (cluster is not null)
            {
                builder[name] = cluster with
                {
                    Destinations = OrEmpty(cluster.Destinations),
                    FailureStatuses = OrEmpty(cluster.FailureStatuses),
                    Retry = Apply(cluster.Retry),
                };
            }
        }

        var inbound = snapshot.Inbound ?? InboundConfig.Default;
        var hash = snapshot.HashPolicy ?? HashPolicy.Default;
        var routes = OrEmpty(snapshot.Routes);
        var fixedRoutes = ImmutableArray.CreateBuilder<OutboundRoute>(routes.Length);
        foreach (var route in routes)
        {
            fixedRoutes.Add(route is null ? null! : route with
            {
                Host = route.Host ?? string.Empty,
                Cluster = route.Cluster ?? string.Empty,
                WeightedClusters = OrEmpty(route.WeightedClusters),
            });
        }

        return snapshot with
        {
            Version = snapshot.Version ?? string.Empty,
            ServiceName = snapshot.ServiceName ?? string.Empty,
            Clusters = builder.ToImmutable(),
            Routes = fixedRoutes.MoveToImmutable(),
            Inbound = inbound with { FailureStatuses = OrEmpty(inbound.FailureStatuses), Retry = Apply(inbound.Retry) },
            HashPolicy = hash with { AcceptedHashes = OrEmpty(hash.AcceptedHashes), ExemptPathPrefixes = OrEmpty(hash.ExemptPathPrefixes) },
            FaultRules = OrEmpty(snapshot.FaultRules),
            AgentDirectory = snapshot.AgentDirectory ?? ImmutableDictionary<string, string>.Empty,
        };
    }

    private static RetryPolicy? Apply(RetryPolicy? retry) =>
        retry is null ? null : retry with { RetryOnStatuses = OrEmpty(retry.RetryOnStatuses) };

    private static ImmutableArray<T> OrEmpty<T>(ImmutableArray<T> values) => values.IsDefault ? [] : values;
}
