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
/// Everything one compilation pass shares between services, computed once by <see cref="Prepare"/>: the policy
/// conflicts (they fail every service), the clusters of discovered sidecars (the same in every snapshot unless a
/// Route policy adds static destinations to one), the agent directory, a validation memo so shared parts are
/// validated once, and the policies indexed by target so each service's applicable policies and scope are found once per
/// pass without reading every policy (<see cref="ApplicableTo"/>, <see cref="ScopeOf"/>), for both its key and its compile. <see cref="SharedKey"/> digests every input that is not a policy, for <see cref="IncrementalCompiler"/>;
/// <see cref="ScopedKey"/> every one but the destinations, for a service scoped by an Egress policy.
/// </summary>
internal sealed class CompilationInputs
{
    private string _endpointsDigest = string.Empty;
    private string _agentsDigest = string.Empty;
    private Dictionary<string, string> _destinationDigests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (List<ActivePolicy> Applicable, HashSet<string>? Scope)> _perService = new(StringComparer.Ordinal);
    private readonly List<int> _everyService = [];
    private readonly Dictionary<string, List<int>> _byTarget = new(StringComparer.Ordinal);

    private CompilationInputs(IReadOnlyList<ActivePolicy> policies, IReadOnlyCollection<ServiceEndpoint> endpoints, ConstitutionalHashSet accepted, ImmutableArray<string> trustBundle, string? trustDomain)
    {
        Policies = policies;
        Endpoints = endpoints;
        Accepted = accepted;
        TrustBundle = trustBundle;
        TrustDomain = trustDomain;
        var resilience = new List<ActivePolicy>();
        for (var i = 0; i < policies.Count; i++)
        {
            var policy = policies[i];
            if (policy.Document.Spec is CircuitBreakerSpec or TimeoutSpec or RetrySpec)
            {
                resilience.Add(policy);
            }

            if (policy.Document.IsMeshWide || policy.Document.Spec is CircuitBreakerSpec or TimeoutSpec or RetrySpec or TrafficSplitSpec or FaultInjectionSpec)
            {
                _everyService.Add(i);
            }
            else
            {
                if (!_byTarget.TryGetValue(policy.Document.Target, out var own))
                {
                    _byTarget[policy.Document.Target] = own = [];
                }

                own.Add(i);
            }
        }

        ResiliencePolicies = resilience;
    }

    public IReadOnlyList<ActivePolicy> Policies { get; }

    /// <summary>The CircuitBreaker, Timeout and Retry policies among <see cref="Policies"/>, in their order: all a cluster's resilience reads.</summary>
    public IReadOnlyList<ActivePolicy> ResiliencePolicies { get; }

    public IReadOnlyCollection<ServiceEndpoint> Endpoints { get; }

    public ConstitutionalHashSet Accepted { get; }

    public ImmutableArray<string> TrustBundle { get; }

    public string? TrustDomain { get; }

    /// <summary>Conflicts between the active policies.</summary>
    public IReadOnlyList<string> Conflicts { get; private set; } = [];

    /// <summary>Discovered sidecars' normalized inbound addresses per service.</summary>
    public SortedDictionary<string, SortedSet<string>> Destinations { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>The cluster of each discovered service (destinations, resilience, identity), built once.</summary>
    public ImmutableDictionary<string, ClusterConfig> Clusters { get; private set; } = ImmutableDictionary<string, ClusterConfig>.Empty;

    public ImmutableDictionary<string, string> AgentDirectory { get; private set; } = ImmutableDictionary<string, string>.Empty;

    public IReadOnlyList<string> AgentWarnings { get; private set; } = [];

    /// <summary>The clusters and agent directory serialized once, for every snapshot that holds them (<see cref="SnapshotEncoding"/>).</summary>
    public SharedSnapshotParts SharedParts { get; private set; } = new(ImmutableDictionary<string, ClusterConfig>.Empty, ImmutableDictionary<string, string>.Empty);

    /// <summary>Validation results of the shared parts.</summary>
    public ConfigValidationMemo Memo { get; } = new();

    /// <summary>A digest of the endpoints, trust settings, accepted hashes and conflicts: a service whose policies did not change compiles the same while this is equal.</summary>
    public string SharedKey { get; private set; } = string.Empty;

    /// <summary>
    /// As <see cref="SharedKey"/> but without the sidecars' destinations (the agent directory, trust, accepted hashes and
    /// conflicts): a service scoped by an Egress policy adds the destinations of its own clusters (<see cref="AppendDestinations"/>),
    /// so a sidecar joining a service it does not call leaves its key unchanged.
    /// </summary>
    public string ScopedKey { get; private set; } = string.Empty;

    /// <summary>
    /// The policies that <see cref="SnapshotCompiler.AppliesTo"/> <paramref name="service"/>, in the order of <see cref="Policies"/>,
    /// from an index built once per pass (the policies for every service, and those by target) and kept per service for the pass.
    /// Shared: callers must not change the list.
    /// </summary>
    public List<ActivePolicy> ApplicableTo(string service) => Of(service).Applicable;

    /// <summary><see cref="SnapshotCompiler.ScopeOf"/> of <paramref name="service"/>, computed once per pass. Shared: callers must not change the set.</summary>
    public HashSet<string>? ScopeOf(string service) => Of(service).Scope;

    private (List<ActivePolicy> Applicable, HashSet<string>? Scope) Of(string service)
    {
        if (_perService.TryGetValue(service, out var known))
        {
            return known;
        }

        // Both index lists are ascending: merge them to keep the policies' order (the first of a kind wins in Pick).
        var own = _byTarget.GetValueOrDefault(service) ?? [];
        var applicable = new List<ActivePolicy>(_everyService.Count + own.Count);
        int a = 0, b = 0;
        while (a < _everyService.Count || b < own.Count)
        {
            applicable.Add(Policies[b >= own.Count || (a < _everyService.Count && _everyService[a] < own[b]) ? _everyService[a++] : own[b++]]);
        }

        known = (applicable, SnapshotCompiler.ScopeOf(service, applicable));
        _perService[service] = known;
        return known;
    }

    /// <summary>
    /// Appends <paramref name="service"/>'s name and a digest of its discovered destinations (<c>-</c> without sidecars) to a key.
    /// Each service's digest is computed once while the sidecars stay the same (kept across passes like the destinations).
    /// </summary>
    public void AppendDestinations(StringBuilder key, string service)
    {
        ArgumentNullException.ThrowIfNull(key);
        key.Append('\n').Append(service).Append('=');
        if (!Destinations.TryGetValue(service, out var addresses))
        {
            key.Append('-');
            return;
        }

        if (!_destinationDigests.TryGetValue(service, out var digest))
        {
            var text = new StringBuilder();
            text.AppendJoin('\n', addresses);
            digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
            _destinationDigests[service] = digest;
        }

        key.Append(digest);
    }

    /// <summary>
    /// Computes the shared parts. With <paramref name="previous"/> (the last pass's inputs) and the same sidecars (name, node,
    /// address, bus address and agents, in the same order), their destinations, agent directory and digest are reused.
    /// </summary>
    public static CompilationInputs Prepare(IReadOnlyList<ActivePolicy> policies, IReadOnlyCollection<ServiceEndpoint> endpoints, ConstitutionalHashSet accepted,
        ImmutableArray<string> trustBundle = default, string? trustDomain = null, CompilationInputs? previous = null)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(accepted);
        var inputs = new CompilationInputs(policies, endpoints, accepted, trustBundle, trustDomain);
        inputs.Conflicts = PolicyConflicts.Find(policies);
        if (previous is not null && SameEndpoints(previous.Endpoints, endpoints))
        {
            inputs.Destinations = previous.Destinations;
            inputs.AgentDirectory = previous.AgentDirectory;
            inputs.AgentWarnings = previous.AgentWarnings;
            inputs._endpointsDigest = previous._endpointsDigest;
            inputs._agentsDigest = previous._agentsDigest;
            inputs._destinationDigests = previous._destinationDigests;
        }
        else
        {
            foreach (var endpoint in endpoints)
            {
                SnapshotCompiler.AddDestination(inputs.Destinations, endpoint.ServiceName, SnapshotCompiler.NormalizeAddress(endpoint.Address));
            }

            var warnings = new List<string>();
            inputs.AgentDirectory = SnapshotCompiler.BuildAgentDirectory(endpoints, warnings);
            inputs.AgentWarnings = warnings;
            inputs._endpointsDigest = inputs.EndpointsDigest();
            inputs._agentsDigest = inputs.AgentsDigest();
        }

        // Every destination set so far comes from a registered sidecar: each of these services is meshed.
        var clusters = ImmutableDictionary.CreateBuilder<string, ClusterConfig>(StringComparer.Ordinal);
        foreach (var (name, addresses) in inputs.Destinations)
        {
            clusters[name] = SnapshotCompiler.Cluster(name, addresses, inputs.ResiliencePolicies, meshed: true, trustBundle, trustDomain);
        }

        inputs.Clusters = clusters.ToImmutable();
        inputs.SharedParts = new SharedSnapshotParts(inputs.Clusters, inputs.AgentDirectory);
        inputs.SharedKey = inputs.Digest();
        inputs.ScopedKey = inputs.ScopedDigest();
        return inputs;
    }

    /// <summary>True when both lists hold the same sidecars in the same order, as far as compiling is concerned.</summary>
    private static bool SameEndpoints(IReadOnlyCollection<ServiceEndpoint> previous, IReadOnlyCollection<ServiceEndpoint> current)
    {
        if (ReferenceEquals(previous, current))
        {
            return true;
        }

        if (previous.Count != current.Count)
        {
            return false;
        }

        using var before = previous.GetEnumerator();
        foreach (var endpoint in current)
        {
            if (!before.MoveNext() || !Same(before.Current, endpoint))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Same(ServiceEndpoint a, ServiceEndpoint b) =>
        ReferenceEquals(a, b)
        || (string.Equals(a.ServiceName, b.ServiceName, StringComparison.Ordinal) && string.Equals(a.NodeId, b.NodeId, StringComparison.Ordinal)
            && string.Equals(a.Address, b.Address, StringComparison.Ordinal) && string.Equals(a.BusAddress, b.BusAddress, StringComparison.Ordinal)
            && (ReferenceEquals(a.Agents, b.Agents) || a.Agents.SequenceEqual(b.Agents, StringComparer.Ordinal)));

    private string EndpointsDigest()
    {
        var text = new StringBuilder();
        foreach (var (service, addresses) in Destinations)
        {
            text.Append(service).Append('=').AppendJoin(',', addresses).Append('\n');
        }

        foreach (var (agent, address) in AgentDirectory)
        {
            text.Append(agent).Append('@').Append(address).Append('\n');
        }

        text.AppendJoin('\n', AgentWarnings).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private string AgentsDigest()
    {
        var text = new StringBuilder();
        foreach (var (agent, address) in AgentDirectory)
        {
            text.Append(agent).Append('@').Append(address).Append('\n');
        }

        text.AppendJoin('\n', AgentWarnings).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private string ScopedDigest()
    {
        var text = new StringBuilder("scoped\n").Append(_agentsDigest).Append('\n');
        text.AppendJoin('\n', Conflicts).Append('\n');
        text.AppendJoin(',', Accepted.Hashes).Append('\n').Append(TrustDomain).Append('\n');
        text.AppendJoin('\n', TrustBundle.IsDefault ? [] : TrustBundle);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private string Digest()
    {
        var text = new StringBuilder(_endpointsDigest).Append('\n');
        text.AppendJoin('\n', Conflicts).Append('\n');
        text.AppendJoin(',', Accepted.Hashes).Append('\n').Append(TrustDomain).Append('\n');
        text.AppendJoin('\n', TrustBundle.IsDefault ? [] : TrustBundle);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))
            + "/" + Endpoints.Count.ToString(CultureInfo.InvariantCulture);
    }
}
