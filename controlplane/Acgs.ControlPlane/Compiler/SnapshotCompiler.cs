// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;
using Acgs.ControlPlane.Discovery;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.ControlPlane.Compiler;

/// <summary>
/// Compiles active policies and discovered sidecars into one <see cref="ConfigSnapshot"/> per service.
/// Clusters: one per service that has sidecars (their inbound addresses) or static destinations
/// (Route policies). Routes: host <c>&lt;service&gt;</c> → its cluster, then Route policies (host and path
/// prefix). Breaker, timeout and retry settings per cluster (and inbound) from CircuitBreaker / Timeout /
/// Retry policies targeting that service, else the mesh-wide one. Hash policy: the one targeting this
/// service, else mesh-wide, else the control plane's accepted hashes in enforce mode. TrafficSplit on a
/// service turns every route to it into a blue/green split (<c>weighted_clusters</c>); FaultInjection
/// targeting this service (else mesh-wide) becomes an inbound delay/abort rule, and one with
/// <c>force_open_breaker</c> targeting a cluster's service (else mesh-wide) a rule holding that cluster's
/// breaker open, each expiring <c>duration_seconds</c> after activation; the agent directory collects every sidecar's agent report. Merging is by
/// specificity (service over mesh); equal-specificity conflicts are errors, and so is anything
/// <see cref="ConfigSnapshotValidator"/> refuses.
/// </summary>
internal static partial class SnapshotCompiler
{
    /// <summary>Compiles the snapshot of <paramref name="service"/>; its version is <c>&lt;revision&gt;-&lt;content hash&gt;</c>.</summary>
    public static CompileResult Compile(string service, IReadOnlyList<ActivePolicy> policies, IReadOnlyCollection<ServiceEndpoint> endpoints, long revision, ConstitutionalHashSet accepted,
        ImmutableArray<string> trustBundle = default, string? trustDomain = null)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(accepted);
        var errors = PolicyConflicts.Find(policies);
        var warnings = new List<string>();
        var applicable = new List<ActivePolicy>();
        foreach (var policy in policies)
        {
            var document = policy.Document;
            if (document.IsMeshWide || string.Equals(document.Target, service, StringComparison.Ordinal) || document.Spec is CircuitBreakerSpec or TimeoutSpec or RetrySpec or TrafficSplitSpec or FaultInjectionSpec)
            {
                applicable.Add(policy);
            }
        }

        var destinations = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            Add(destinations, endpoint.ServiceName, Normalize(endpoint.Address));
        }

        var routes = RoutesFromPolicies(service, applicable, destinations, errors);
        var clusters = ImmutableDictionary.CreateBuilder<string, ClusterConfig>(StringComparer.Ordinal);
        var outbound = new List<OutboundRoute>();
        foreach (var (name, addresses) in destinations)
        {
            var resilience = Resilience(name, applicable);
            clusters[name] = new ClusterConfig
            {
                Destinations = [.. addresses],
                Breaker = resilience.Breaker,
                FailureStatuses = resilience.FailureStatuses,
                TimeoutSeconds = resilience.TimeoutSeconds,
                Retry = resilience.Retry,
                Identity = trustDomain is not null && !trustBundle.IsDefaultOrEmpty && IsMeshed(name, endpoints) ? Acgs.Contracts.Identity.SpiffeId.ForService(trustDomain, name) : null,
            };
            if (!routes.ContainsKey((name, "/")))
            {
                outbound.Add(new OutboundRoute { Host = name, Cluster = name });
            }
        }

        foreach (var ((host, prefix), target) in routes.OrderBy(r => r.Key.Host, StringComparer.Ordinal).ThenBy(r => r.Key.Prefix, StringComparer.Ordinal))
        {
            if (!clusters.ContainsKey(target.Cluster))
            {
                errors.Add($"route for host '{host}': cluster '{target.Cluster}' has no sidecars and no static destinations");
                continue;
            }

            outbound.Add(new OutboundRoute { Host = host, PathPrefix = prefix == "/" ? null : target.PathPrefix, Cluster = target.Cluster });
        }

        ApplyTrafficSplits(applicable, clusters, outbound, errors);
        var inbound = Resilience(service, applicable);
        var snapshot = new ConfigSnapshot
        {
            ServiceName = service,
            Clusters = clusters.ToImmutable(),
            Routes = [.. outbound],
            Inbound = new InboundConfig { Breaker = inbound.Breaker, FailureStatuses = inbound.FailureStatuses, TimeoutSeconds = inbound.TimeoutSeconds, Retry = inbound.Retry },
            FaultRules = FaultRules(service, applicable, clusters.Keys, warnings),
            AgentDirectory = AgentDirectory(endpoints, warnings),
        };
        snapshot = WithHashPolicy(snapshot, service, applicable, accepted);
        snapshot = WithMutualTls(snapshot, service, applicable, trustBundle);
        snapshot = WithAuthorization(snapshot, service, applicable);
        snapshot = WithRateLimit(snapshot, service, applicable);
        snapshot = snapshot with { Version = VersionOf(snapshot, revision) };
        foreach (var error in ConfigSnapshotValidator.Validate(snapshot))
        {
            errors.Add("snapshot " + error);
        }

        return errors.Count == 0 ? new CompileResult(snapshot, [], warnings) : new CompileResult(null, errors, warnings);
    }

    /// <summary><c>&lt;revision&gt;-&lt;first 12 hex of SHA-256 of the snapshot JSON without its version&gt;</c>: equal content, equal version, on every replica.</summary>
    public static string VersionOf(ConfigSnapshot snapshot, long revision)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var json = ConfigSnapshotJson.Serialize(snapshot with { Version = string.Empty });
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..12];
        return string.Create(CultureInfo.InvariantCulture, $"{revision}-{hash}");
    }

    /// <summary>The content part of a version (after the dash), to compare snapshots regardless of revision.</summary>
    public static string ContentOf(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var dash = version.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? version : version[(dash + 1)..];
    }

    private static ConfigSnapshot WithHashPolicy(ConfigSnapshot snapshot, string service, List<ActivePolicy> policies, ConstitutionalHashSet accepted)
    {
        var spec = Pick<HashPolicySpec>(service, policies);
        if (spec is null)
        {
            return snapshot with { ConstitutionalHash = accepted.Primary, HashPolicy = new HashPolicy { AcceptedHashes = accepted.Hashes } };
        }

        var primary = spec.AcceptedHashes.Contains(accepted.Primary) ? accepted.Primary : spec.AcceptedHashes.FirstOrDefault() ?? accepted.Primary;
        return snapshot with
        {
            ConstitutionalHash = primary,
            HashPolicy = new HashPolicy
            {
                AcceptedHashes = spec.AcceptedHashes,
                Mode = spec.Mode,
                ExemptPathPrefixes = spec.ExemptPaths,
            },
        };
    }

    private static (BreakerSettings? Breaker, ImmutableArray<int> FailureStatuses, double? TimeoutSeconds, RetryPolicy? Retry) Resilience(string target, List<ActivePolicy> policies)
    {
        var breaker = Pick<CircuitBreakerSpec>(target, policies);
        var timeout = Pick<TimeoutSpec>(target, policies);
        var retry = Pick<RetrySpec>(target, policies);
        return (
            breaker is null ? null : new BreakerSettings { FailMax = breaker.FailMax, ResetTimeoutSeconds = breaker.ResetTimeoutSeconds },
            breaker?.FailureStatuses ?? [],
            timeout is null ? null : timeout.RequestTimeoutMs / 1000.0,
            retry is null || retry.Attempts == 0 ? null : new RetryPolicy
            {
                MaxAttempts = retry.Attempts + 1,
                PerTryTimeoutSeconds = retry.PerTryTimeoutMs > 0 ? retry.PerTryTimeoutMs / 1000.0 : null,
                RetryOnStatuses = retry.RetryOn,
            });
    }

    /// <summary>The spec of kind <typeparamref name="T"/> targeting <paramref name="target"/>, else the mesh-wide one, else null (conflicts are found by <see cref="PolicyConflicts"/>).</summary>
    private static T? Pick<T>(string target, List<ActivePolicy> policies)
        where T : PolicySpec => PickPolicy<T>(target, policies)?.Document.Spec as T;

    /// <summary>The policy of kind <typeparamref name="T"/> targeting <paramref name="target"/>, else the mesh-wide one, else null.</summary>
    private static ActivePolicy? PickPolicy<T>(string target, List<ActivePolicy> policies)
        where T : PolicySpec
    {
        ActivePolicy? specific = null;
        ActivePolicy? mesh = null;
        foreach (var policy in policies)
        {
            if (policy.Document.Spec is not T)
            {
                continue;
            }

            if (policy.Document.IsMeshWide)
            {
                mesh ??= policy;
            }
            else if (string.Equals(policy.Document.Target, target, StringComparison.Ordinal))
            {
                specific ??= policy;
            }
        }

        return specific ?? mesh;
    }

    private static void Add(SortedDictionary<string, SortedSet<string>> destinations, string cluster, string address)
    {
        if (!destinations.TryGetValue(cluster, out var set))
        {
            set = new SortedSet<string>(StringComparer.Ordinal);
            destinations[cluster] = set;
        }

        set.Add(address);
    }

    private static string Normalize(string address) =>
        address.Contains("://", StringComparison.Ordinal) ? address.TrimEnd('/') : "http://" + address;
}
