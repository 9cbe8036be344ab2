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
/// breaker open, each expiring <c>duration_seconds</c> after activation; the agent directory collects every sidecar's agent report.
/// An Egress policy for the service (else mesh-wide) scopes its clusters and routes to the services it calls (<see cref="ScopeOf"/>). Merging is by
/// specificity (service over mesh); equal-specificity conflicts are errors, and so is anything
/// <see cref="ConfigSnapshotValidator"/> refuses.
/// </summary>
internal static partial class SnapshotCompiler
{
    /// <summary>Compiles the snapshot of <paramref name="service"/>; its version is <c>&lt;revision&gt;-&lt;content hash&gt;</c>.</summary>
    public static CompileResult Compile(string service, IReadOnlyList<ActivePolicy> policies, IReadOnlyCollection<ServiceEndpoint> endpoints, long revision, ConstitutionalHashSet accepted,
        ImmutableArray<string> trustBundle = default, string? trustDomain = null) =>
        Compile(service, CompilationInputs.Prepare(policies, endpoints, accepted, trustBundle, trustDomain), revision);

    /// <summary>Compiles the snapshot of <paramref name="service"/> from a pass's shared <paramref name="inputs"/>.</summary>
    public static CompileResult Compile(string service, CompilationInputs inputs, long revision)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var errors = new List<string>(inputs.Conflicts);
        var warnings = new List<string>();
        var applicable = inputs.ApplicableTo(service);

        var statics = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var routes = RoutesFromPolicies(service, applicable, statics, errors);
        var scope = inputs.ScopeOf(service);
        var (clusters, names) = scope is null ? Clusters(inputs, statics) : ScopedClusters(inputs, statics, scope);
        var outbound = new List<OutboundRoute>();
        foreach (var name in names)
        {
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

        ApplyTrafficSplits(applicable, scope, clusters, outbound, errors);
        var inbound = Resilience(service, applicable);
        var faultRules = FaultRules(service, applicable, clusters.Keys, warnings);
        if (scope is not null)
        {
            EgressWarnings(service, applicable, clusters, warnings);
        }

        warnings.AddRange(inputs.AgentWarnings);
        var snapshot = new ConfigSnapshot
        {
            ServiceName = service,
            Clusters = clusters,
            Routes = [.. outbound],
            Inbound = new InboundConfig { Breaker = inbound.Breaker, FailureStatuses = inbound.FailureStatuses, TimeoutSeconds = inbound.TimeoutSeconds, Retry = inbound.Retry },
            FaultRules = faultRules,
            AgentDirectory = inputs.AgentDirectory,
        };
        snapshot = WithHashPolicy(snapshot, service, applicable, inputs.Accepted);
        snapshot = WithMutualTls(snapshot, service, applicable, inputs.TrustBundle);
        snapshot = WithAuthorization(snapshot, service, applicable);
        snapshot = WithRateLimit(snapshot, service, applicable);
        snapshot = WithTracing(snapshot, service, applicable);
        var (version, json) = SnapshotEncoding.Encode(snapshot, revision, inputs.SharedParts, scoped: scope is not null);
        snapshot = snapshot with { Version = version };
        foreach (var error in ConfigSnapshotValidator.Validate(snapshot, inputs.Memo))
        {
            errors.Add("snapshot " + error);
        }

        return errors.Count == 0 ? new CompileResult(snapshot, [], warnings) { Json = json } : new CompileResult(null, errors, warnings);
    }

    /// <summary>
    /// True when <paramref name="policy"/> can change <paramref name="service"/>'s snapshot: mesh-wide policies, policies
    /// targeting it, and resilience, split and fault policies of any service (they shape the clusters every snapshot holds;
    /// for a scoped service only those of its clusters count, <see cref="InScope"/>).
    /// </summary>
    public static bool AppliesTo(ActivePolicy policy, string service)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var document = policy.Document;
        return document.IsMeshWide || string.Equals(document.Target, service, StringComparison.Ordinal)
            || document.Spec is CircuitBreakerSpec or TimeoutSpec or RetrySpec or TrafficSplitSpec or FaultInjectionSpec;
    }

    /// <summary><c>&lt;revision&gt;-&lt;first 12 hex of SHA-256 of the compact snapshot JSON without its version&gt;</c>: equal content, equal version, on every replica.</summary>
    public static string VersionOf(ConfigSnapshot snapshot, long revision)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return SnapshotEncoding.Encode(snapshot, revision).Version;
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

    /// <summary>The spec of kind <typeparamref name="T"/> targeting <paramref name="target"/>, else the mesh-wide one, else null (conflicts are found by <see cref="PolicyConflicts"/>).</summary>
    private static T? Pick<T>(string target, IReadOnlyList<ActivePolicy> policies)
        where T : PolicySpec => PickPolicy<T>(target, policies)?.Document.Spec as T;

    /// <summary>The policy of kind <typeparamref name="T"/> targeting <paramref name="target"/>, else the mesh-wide one, else null.</summary>
    private static ActivePolicy? PickPolicy<T>(string target, IReadOnlyList<ActivePolicy> policies)
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

    /// <summary>Adds <paramref name="address"/> to <paramref name="cluster"/>'s destinations.</summary>
    internal static void AddDestination(SortedDictionary<string, SortedSet<string>> destinations, string cluster, string address)
    {
        if (!destinations.TryGetValue(cluster, out var set))
        {
            set = new SortedSet<string>(StringComparer.Ordinal);
            destinations[cluster] = set;
        }

        set.Add(address);
    }

    /// <summary>A discovered sidecar's address as a destination URL.</summary>
    internal static string NormalizeAddress(string address) =>
        address.Contains("://", StringComparison.Ordinal) ? address.TrimEnd('/') : "http://" + address;
}
