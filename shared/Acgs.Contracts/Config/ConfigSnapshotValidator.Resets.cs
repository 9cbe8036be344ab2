// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Config;

/// <content>Validation of <see cref="ConfigSnapshot.BreakerResets"/>.</content>
public static partial class ConfigSnapshotValidator
{
    /// <summary>Most breaker resets one snapshot may carry.</summary>
    public const int MaxBreakerResets = 16;

    private static void ValidateBreakerResets(ConfigSnapshot snapshot, List<string> errors)
    {
        if (snapshot.BreakerResets is not { } resets || resets.IsDefaultOrEmpty)
        {
            return;
        }

        if (resets.Length > MaxBreakerResets)
        {
            errors.Add($"breaker_resets: at most {MaxBreakerResets} entries");
        }

        for (var i = 0; i < resets.Length; i++)
        {
            var reset = resets[i];
            var path = $"breaker_resets[{i}]";
            if (reset is null)
            {
                errors.Add(path + ": must not be null");
                continue;
            }

            if (string.IsNullOrEmpty(reset.Id) || reset.Id.Length > BreakerReset.MaxIdLength || !IsPrintableAscii(reset.Id))
            {
                errors.Add($"{path}.id: must be 1-{BreakerReset.MaxIdLength} printable ASCII characters");
            }

            if (reset.Reason is { } reason && (reason.Length > 253 || !IsPrintableAscii(reason)))
            {
                errors.Add(path + ".reason: at most 253 printable ASCII characters");
            }

            if (reset.Clusters.IsDefaultOrEmpty || reset.Clusters.Length > BreakerReset.MaxClusters)
            {
                errors.Add($"{path}.clusters: 1-{BreakerReset.MaxClusters} cluster names are required");
                continue;
            }

            for (var j = 0; j < reset.Clusters.Length; j++)
            {
                var cluster = reset.Clusters[j];
                if (string.IsNullOrEmpty(cluster) || cluster.Length > 253 || !IsPrintableAscii(cluster))
                {
                    errors.Add($"{path}.clusters[{j}]: must be 1-253 printable ASCII characters");
                }
            }
        }
    }
}
