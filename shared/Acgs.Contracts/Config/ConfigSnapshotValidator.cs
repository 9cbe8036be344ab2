// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Globalization;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.Contracts.Config;

/// <summary>
/// Validates a <see cref="ConfigSnapshot"/> and reports every problem at once, each prefixed with
/// the JSON path it concerns. The sidecar and the control plane use this same validator, so both
/// refuse the same bad config.
/// </summary>
public static partial class ConfigSnapshotValidator
{
    /// <summary>The most clusters and routes a snapshot may hold.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>Reserved cluster-name prefix (the sidecar's inbound cluster).</summary>
    public const string ReservedClusterPrefix = "inbound|";

    /// <summary>Every problem with <paramref name="snapshot"/>; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(ConfigSnapshot? snapshot) => Validate(snapshot, memo: null);

    /// <summary>Every problem with <paramref name="snapshot"/>; parts shared with snapshots validated through the same <paramref name="memo"/> are checked once.</summary>
    public static IReadOnlyList<string> Validate(ConfigSnapshot? snapshot, ConfigValidationMemo? memo) => Validate(snapshot, memo, anchors: null);

    /// <summary>
    /// Every problem with <paramref name="snapshot"/>; a trust anchor that <paramref name="anchors"/> remembers from the
    /// previous snapshot validated through it is not parsed again, and <paramref name="anchors"/> then holds this
    /// snapshot's anchors alone (see <see cref="TrustAnchorMemo"/>). For a sidecar, which keeps one memo across snapshots.
    /// </summary>
    public static IReadOnlyList<string> Validate(ConfigSnapshot? snapshot, TrustAnchorMemo anchors)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        return Validate(snapshot, memo: null, anchors);
    }

    private static List<string> Validate(ConfigSnapshot? snapshot, ConfigValidationMemo? memo, TrustAnchorMemo? anchors)
    {
        var errors = new List<string>();
        if (snapshot is null)
        {
            anchors?.Remember([]);
            errors.Add("snapshot: must not be null");
            return errors;
        }

        ValidateHeader(snapshot, errors);
        ValidateHashPolicy(snapshot, errors);
        ValidateClusters(snapshot.Clusters, errors, memo);
        ValidateRoutes(snapshot, errors);
        ValidateFaultRules(snapshot, errors);
        ValidateBreakerResets(snapshot, errors);
        Memoized(snapshot.AgentDirectory, memo, errors, ValidateAgentDirectory);
        ValidateMutualTls(snapshot.MutualTls, errors, memo, anchors);
        ValidateAuthorization(snapshot.Authorization, errors);
        ValidateRateLimit(snapshot.RateLimit, errors);
        ValidateTracing(snapshot.Tracing, errors);
        if (snapshot.Inbound is null)
        {
            errors.Add("inbound: must not be null (omit it for the defaults)");
        }
        else
        {
            ValidateResilience("inbound", snapshot.Inbound.Breaker, snapshot.Inbound.TimeoutSeconds, snapshot.Inbound.Retry, snapshot.Inbound.FailureStatuses, errors);
        }

        return errors;
    }

    /// <summary>True when <paramref name="value"/> is a valid destination address (see <see cref="ClusterConfig.Destinations"/>).</summary>
    public static bool TryParseDestination(string? value, out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(value) || value.Trim() != value)
        {
            return false;
        }

        var text = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(parsed.Host) || !string.IsNullOrEmpty(parsed.Query) || !string.IsNullOrEmpty(parsed.Fragment)
            || !string.IsNullOrEmpty(parsed.UserInfo))
        {
            return false;
        }

        uri = parsed;
        return true;
    }

    private static void ValidateHeader(ConfigSnapshot snapshot, List<string> errors)
    {
        if (string.IsNullOrEmpty(snapshot.Version))
        {
            errors.Add("version: is required");
        }
        else if (snapshot.Version.Length > 128 || !IsPrintableAscii(snapshot.Version))
        {
            errors.Add("version: must be 1-128 printable ASCII characters");
        }

        if (string.IsNullOrEmpty(snapshot.ServiceName))
        {
            errors.Add("service_name: is required");
        }
        else if (!Validation.ServiceName.IsValid(snapshot.ServiceName))
        {
            errors.Add($"service_name: '{Shorten(snapshot.ServiceName)}' {Validation.ServiceName.Rule}");
        }

        if (snapshot.ConstitutionalHash is null)
        {
            errors.Add("constitutional_hash: is required");
        }
        else if (!ConstitutionalHashSet.TryCreate([snapshot.ConstitutionalHash], out _, out _))
        {
            errors.Add("constitutional_hash: must be 16 lowercase hexadecimal characters");
        }
    }

    private static void ValidateHashPolicy(ConfigSnapshot snapshot, List<string> errors)
    {
        var policy = snapshot.HashPolicy;
        if (policy is null)
        {
            errors.Add("hash_policy: must not be null (omit it for the defaults)");
            return;
        }

        if (policy.AcceptedHashes.IsDefault)
        {
            errors.Add("hash_policy.accepted_hashes: must not be null");
        }
        else if (!policy.AcceptedHashes.IsEmpty)
        {
            var nulls = false;
            foreach (var hash in policy.AcceptedHashes)
            {
                nulls |= hash is null;
            }

            if (nulls)
            {
                errors.Add("hash_policy.accepted_hashes: entries must not be null");
            }
            else if (!ConstitutionalHashSet.TryCreate(policy.AcceptedHashes, out var set, out var problems))
            {
                foreach (var problem in problems)
                {
                    errors.Add("hash_policy.accepted_hashes: " + problem);
                }
            }
            else if (snapshot.ConstitutionalHash is not null && !set.Hashes.Contains(snapshot.ConstitutionalHash))
            {
                errors.Add("constitutional_hash: is not one of hash_policy.accepted_hashes");
            }
        }

        if (!Enum.IsDefined(policy.Mode))
        {
            errors.Add("hash_policy.mode: must be enforce, audit or off");
        }

        if (policy.ExemptPathPrefixes.IsDefault)
        {
            errors.Add("hash_policy.exempt_path_prefixes: must not be null");
            return;
        }

        for (var i = 0; i < policy.ExemptPathPrefixes.Length; i++)
        {
            var prefix = policy.ExemptPathPrefixes[i];
            if (prefix is null || prefix.Length < 2 || prefix[0] != '/' || prefix.Length > 1024 || !IsPrintableAscii(prefix)
                || prefix.Contains('?', StringComparison.Ordinal) || prefix.Contains('#', StringComparison.Ordinal))
            {
                errors.Add($"hash_policy.exempt_path_prefixes[{I(i)}]: must be a path starting with '/' (not '/' alone), without query or fragment");
            }
        }
    }

    private static void ValidateRoutes(ConfigSnapshot snapshot, List<string> errors)
    {
        if (snapshot.Routes.IsDefault)
        {
            errors.Add("routes: must not be null (use [])");
            return;
        }

        if (snapshot.Routes.Length > MaxEntries)
        {
            errors.Add($"routes: at most {I(MaxEntries)} routes are allowed, got {I(snapshot.Routes.Length)}");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < snapshot.Routes.Length; i++)
        {
            var path = $"routes[{I(i)}]";
            var route = snapshot.Routes[i];
            if (route is null)
            {
                errors.Add($"{path}: must not be null");
                continue;
            }

            var prefixValid = ValidateRoutePathPrefix(path, route.PathPrefix, errors);
            if (string.IsNullOrEmpty(route.Host) || !IsHostPattern(route.Host))
            {
                errors.Add($"{path}.host: '{Shorten(route.Host)}' must be a host name, optionally '*.'-prefixed and ':port'-suffixed");
            }
            else if (prefixValid && !seen.Add(route.Host + " " + NormalizedPrefix(route.PathPrefix)))
            {
                errors.Add(route.PathPrefix is null or "/"
                    ? $"{path}.host: '{Shorten(route.Host)}' is routed more than once"
                    : $"{path}: host '{Shorten(route.Host)}' with path_prefix '{Shorten(route.PathPrefix)}' is routed more than once");
            }

            if (string.IsNullOrEmpty(route.Cluster))
            {
                errors.Add($"{path}.cluster: is required");
            }
            else if (snapshot.Clusters is not null && !snapshot.Clusters.ContainsKey(route.Cluster))
            {
                errors.Add($"{path}.cluster: '{Shorten(route.Cluster)}' is not defined in clusters");
            }

            ValidateWeightedClusters(path, route, snapshot.Clusters, errors);
        }
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static List<string> SortedKeys(ImmutableDictionary<string, ClusterConfig> clusters)
    {
        var keys = new List<string>(clusters.Keys);
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }
}
