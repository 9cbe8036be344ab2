// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Net;

namespace Acgs.Contracts.Config;

/// <summary>Rules of <see cref="ConfigSnapshotValidator"/> for path-prefix routes, traffic splits, fault rules and the agent directory.</summary>
public static partial class ConfigSnapshotValidator
{
    /// <summary>Largest weight of one <see cref="WeightedCluster"/>.</summary>
    public const int MaxWeight = 10_000;

    /// <summary>Most clusters one route may split between.</summary>
    public const int MaxWeightedClusters = 16;

    /// <summary>Most fault rules a snapshot may hold.</summary>
    public const int MaxFaultRules = 256;

    /// <summary>Longest injected delay in milliseconds.</summary>
    public const int MaxFaultDelayMs = 5_000;

    /// <summary>Most entries of the agent directory.</summary>
    public const int MaxAgentDirectoryEntries = 100_000;

    /// <summary>Longest agent id (the bus wire limit).</summary>
    public const int MaxAgentIdLength = 128;

    private static bool ValidateRoutePathPrefix(string path, string? prefix, List<string> errors)
    {
        if (prefix is null || prefix == "/")
        {
            return true;
        }

        if (!IsPathPrefix(prefix))
        {
            errors.Add($"{path}.path_prefix: '{Shorten(prefix)}' must be a path starting with '/', without query or fragment (at most 1024 characters)");
            return false;
        }

        return true;
    }

    private static string NormalizedPrefix(string? prefix) =>
        prefix is null || prefix == "/" ? "/" : prefix.TrimEnd('/').ToUpperInvariant();

    private static void ValidateWeightedClusters(string path, OutboundRoute route, ImmutableDictionary<string, ClusterConfig>? clusters, List<string> errors)
    {
        var weighted = route.WeightedClusters;
        if (weighted.IsDefault)
        {
            errors.Add($"{path}.weighted_clusters: must not be null (use [] or omit it)");
            return;
        }

        if (weighted.IsEmpty)
        {
            return;
        }

        var wpath = path + ".weighted_clusters";
        if (weighted.Length > MaxWeightedClusters)
        {
            errors.Add($"{wpath}: at most {I(MaxWeightedClusters)} clusters are allowed, got {I(weighted.Length)}");
        }

        long total = 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < weighted.Length; i++)
        {
            var entry = weighted[i];
            var epath = $"{wpath}[{I(i)}]";
            if (entry is null)
            {
                errors.Add($"{epath}: must not be null");
                continue;
            }

            if (string.IsNullOrEmpty(entry.Cluster))
            {
                errors.Add($"{epath}.cluster: is required");
            }
            else if (!names.Add(entry.Cluster))
            {
                errors.Add($"{epath}.cluster: '{Shorten(entry.Cluster)}' appears more than once");
            }
            else if (clusters is not null && !clusters.ContainsKey(entry.Cluster))
            {
                errors.Add($"{epath}.cluster: '{Shorten(entry.Cluster)}' is not defined in clusters");
            }

            if (entry.Weight is < 0 or > MaxWeight)
            {
                errors.Add($"{epath}.weight: must be between 0 and {I(MaxWeight)}, got {I(entry.Weight)}");
            }
            else
            {
                total += entry.Weight;
            }
        }

        if (total == 0)
        {
            errors.Add($"{wpath}: the weights must not all be 0");
        }

        if (!string.IsNullOrEmpty(route.Cluster) && !names.Contains(route.Cluster))
        {
            errors.Add($"{path}.cluster: '{Shorten(route.Cluster)}' must be one of weighted_clusters");
        }
    }

    private static void ValidateFaultRules(ConfigSnapshot snapshot, List<string> errors)
    {
        var rules = snapshot.FaultRules;
        if (rules.IsDefault)
        {
            errors.Add("fault_rules: must not be null (use [] or omit it)");
            return;
        }

        if (rules.Length > MaxFaultRules)
        {
            errors.Add($"fault_rules: at most {I(MaxFaultRules)} rules are allowed, got {I(rules.Length)}");
        }

        for (var i = 0; i < rules.Length; i++)
        {
            var path = $"fault_rules[{I(i)}]";
            var rule = rules[i];
            if (rule is null)
            {
                errors.Add($"{path}: must not be null");
                continue;
            }

            if (rule.Name is not null && (rule.Name.Length is 0 or > 253 || !IsPrintableAscii(rule.Name)))
            {
                errors.Add($"{path}.name: must be 1-253 printable ASCII characters");
            }

            if (rule.Inbound == rule.Cluster is not null)
            {
                errors.Add($"{path}: exactly one of inbound (true) and cluster is required");
            }
            else if (rule.Cluster is not null && (snapshot.Clusters is null || !snapshot.Clusters.ContainsKey(rule.Cluster)))
            {
                errors.Add($"{path}.cluster: '{Shorten(rule.Cluster)}' is not defined in clusters");
            }

            if (rule.PathPrefix is not null && rule.PathPrefix != "/" && !IsPathPrefix(rule.PathPrefix))
            {
                errors.Add($"{path}.path_prefix: '{Shorten(rule.PathPrefix)}' must be a path starting with '/', without query or fragment (at most 1024 characters)");
            }

            if (rule.ForceOpenBreaker)
            {
                if (rule.Inbound)
                {
                    errors.Add($"{path}.force_open_breaker: needs a cluster (inbound requests have no breaker to force open)");
                }

                if (rule.Delay is not null || rule.Abort is not null || (rule.PathPrefix is not null && rule.PathPrefix != "/"))
                {
                    errors.Add($"{path}.force_open_breaker: a force-open rule has no delay, abort or path_prefix (the breaker is per cluster; use another rule for them)");
                }
            }
            else if (rule.Delay is null && rule.Abort is null)
            {
                errors.Add($"{path}: must inject something: delay, abort or force_open_breaker");
            }

            if (rule.Delay is { } delay)
            {
                ValidatePercentage(path + ".delay.percentage", delay.Percentage, errors);
                if (delay.FixedDelayMs is < 1 or > MaxFaultDelayMs)
                {
                    errors.Add($"{path}.delay.fixed_delay_ms: must be between 1 and {I(MaxFaultDelayMs)}, got {I(delay.FixedDelayMs)}");
                }
            }

            if (rule.Abort is { } abort)
            {
                ValidatePercentage(path + ".abort.percentage", abort.Percentage, errors);
                if (abort.HttpStatus is < 400 or > 599)
                {
                    errors.Add($"{path}.abort.http_status: must be between 400 and 599, got {I(abort.HttpStatus)}");
                }
            }
        }
    }

    private static void ValidatePercentage(string path, double? percentage, List<string> errors)
    {
        if (percentage is { } value && (double.IsNaN(value) || value < 0 || value > 100))
        {
            errors.Add($"{path}: must be between 0 and 100, got {D(value)}");
        }
    }

    private static void ValidateAgentDirectory(ImmutableDictionary<string, string>? directory, List<string> errors)
    {
        if (directory is null)
        {
            errors.Add("agent_directory: must not be null (use {} or omit it)");
            return;
        }

        if (directory.Count > MaxAgentDirectoryEntries)
        {
            errors.Add($"agent_directory: at most {I(MaxAgentDirectoryEntries)} agents are allowed, got {I(directory.Count)}");
        }

        var keys = new List<string>(directory.Keys);
        keys.Sort(StringComparer.Ordinal);
        foreach (var agent in keys)
        {
            var path = "agent_directory." + Shorten(agent);
            if (agent.Length is 0 or > MaxAgentIdLength || !IsPrintableAscii(agent))
            {
                errors.Add($"{path}: agent id must be 1-{I(MaxAgentIdLength)} printable ASCII characters");
            }

            if (!IsBusAddress(directory[agent]))
            {
                errors.Add($"{path}: '{Shorten(directory[agent])}' is not a bus address ip:port (port 1-65535)");
            }
        }
    }

    /// <summary>True when <paramref name="value"/> is an <c>ip:port</c> bus address (IPv6 as <c>[::1]:port</c>), port 1–65535.</summary>
    public static bool IsBusAddress(string? value) =>
        !string.IsNullOrEmpty(value) && value.Trim() == value && value.Contains(':', StringComparison.Ordinal)
        && IPEndPoint.TryParse(value, out var endPoint) && endPoint.Port is > 0 and <= 65535
        && (endPoint.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || value.StartsWith('['));

    private static bool IsPathPrefix(string prefix) =>
        prefix.Length is >= 1 and <= 1024 && prefix[0] == '/' && IsPrintableAscii(prefix)
        && !prefix.Contains('?', StringComparison.Ordinal) && !prefix.Contains('#', StringComparison.Ordinal)
        && !prefix.Contains(' ', StringComparison.Ordinal);
}
