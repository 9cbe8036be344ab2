// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.Contracts.Config;

/// <summary>Clusters, and replaying what a <see cref="ConfigValidationMemo"/> remembers of shared parts.</summary>
public static partial class ConfigSnapshotValidator
{
    private static void ValidateClusters(ImmutableDictionary<string, ClusterConfig>? clusters, List<string> errors, ConfigValidationMemo? memo)
    {
        if (clusters is null)
        {
            errors.Add("clusters: must not be null (use {})");
            return;
        }

        if (clusters.Count > MaxEntries)
        {
            errors.Add($"clusters: at most {I(MaxEntries)} clusters are allowed, got {I(clusters.Count)}");
        }

        foreach (var name in SortedKeys(clusters))
        {
            var cluster = clusters[name];
            if (memo is not null && cluster is not null && memo.TryGetCluster(name, cluster, out var known))
            {
                errors.AddRange(known);
                continue;
            }

            var found = memo is null ? errors : [];
            ValidateCluster(name, cluster, found);
            if (memo is not null)
            {
                if (cluster is not null)
                {
                    memo.AddCluster(name, cluster, [.. found]);
                }

                errors.AddRange(found);
            }
        }
    }

    private static void ValidateCluster(string name, ClusterConfig? cluster, List<string> errors)
    {
        var path = "clusters." + Shorten(name);
        if (!Validation.ServiceName.IsValid(name))
        {
            errors.Add($"{path}: cluster name {Validation.ServiceName.Rule}");
        }

        if (cluster is null)
        {
            errors.Add($"{path}: must not be null");
            return;
        }

        if (cluster.Destinations.IsDefaultOrEmpty)
        {
            errors.Add($"{path}.destinations: at least one destination is required");
        }
        else
        {
            for (var i = 0; i < cluster.Destinations.Length; i++)
            {
                if (!TryParseDestination(cluster.Destinations[i], out _))
                {
                    errors.Add($"{path}.destinations[{I(i)}]: '{Shorten(cluster.Destinations[i])}' is not http://host:port, https://host:port or host:port");
                }
            }
        }

        ValidateResilience(path, cluster.Breaker, cluster.TimeoutSeconds, cluster.Retry, cluster.FailureStatuses, errors);
    }

    /// <summary>Runs <paramref name="validate"/> on <paramref name="part"/>, or replays what it found for the same instance through <paramref name="memo"/>.</summary>
    private static void Memoized<T>(T? part, ConfigValidationMemo? memo, List<string> errors, Action<T?, List<string>> validate)
        where T : class
    {
        if (memo is null || part is null)
        {
            validate(part, errors);
            return;
        }

        if (!memo.TryGetPart(part, out var known))
        {
            var found = new List<string>();
            validate(part, found);
            known = [.. found];
            memo.AddPart(part, known);
        }

        errors.AddRange(known);
    }
}
