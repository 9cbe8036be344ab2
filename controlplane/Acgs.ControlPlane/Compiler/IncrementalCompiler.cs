// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text;

namespace Acgs.ControlPlane.Compiler;

/// <summary>
/// Compiles a service again only when one of its inputs changed: the policies that apply to it (<see cref="SnapshotCompiler.AppliesTo"/>:
/// its own, the mesh-wide ones, and resilience, split and fault policies of any service, which shape every snapshot's clusters),
/// by id, version, activation time and content, and the pass's <see cref="CompilationInputs.SharedKey"/> (sidecars, agents, trust, conflicts);
/// for a service scoped by an Egress policy only the sidecars and policies of the clusters it calls count (<see cref="KeyOf"/>), so a
/// sidecar joining a service recompiles that service's callers and not the whole mesh.
/// A snapshot that does not compile is compiled again without the policies <see cref="QuarantineResolver"/> quarantines; a changed
/// input recompiles from every active policy, so a quarantined policy is retried and returns as soon as it compiles again.
/// Otherwise it returns the previous result: the same snapshot a full compile would give, whose content (and so version) is
/// unchanged — and the distribution keeps an unchanged snapshot's version rather than re-pushing it. A service whose key changed takes the
/// result the activation check compiled for the same key (<see cref="CompiledAhead"/>), stamped with this pass's revision, instead of
/// compiling it again. Not thread-safe: one rebuild at a time.
/// </summary>
internal sealed class IncrementalCompiler(CompiledAhead? ahead = null)
{
    private readonly Dictionary<string, (string Key, CompileResult Result)> _compiled = new(StringComparer.Ordinal);

    /// <summary>How many services were compiled (not reused) since creation.</summary>
    public long Compilations { get; private set; }

    /// <summary>How many services took the result the activation check compiled (<see cref="CompiledAhead"/>) since creation.</summary>
    public long Precompiled { get; private set; }

    /// <summary>The result for <paramref name="service"/>; <paramref name="reused"/> when nothing it depends on changed.</summary>
    public CompileResult Compile(string service, CompilationInputs inputs, long revision, out bool reused)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var key = KeyOf(service, inputs);
        if (_compiled.TryGetValue(service, out var previous) && string.Equals(previous.Key, key, StringComparison.Ordinal))
        {
            reused = true;
            return previous.Result;
        }

        var result = Ahead(service, key, revision);
        if (result is null)
        {
            result = QuarantineResolver.Resolve(service, inputs, revision, SnapshotCompiler.Compile(service, inputs, revision));
            Compilations++;
        }

        _compiled[service] = (key, result);
        reused = false;
        return result;
    }

    /// <summary>Forgets services that are not in <paramref name="services"/> (no watcher left).</summary>
    public void Retain(IReadOnlySet<string> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        List<string>? gone = null;
        foreach (var service in _compiled.Keys)
        {
            if (!services.Contains(service))
            {
                (gone ??= []).Add(service);
            }
        }

        foreach (var service in gone ?? [])
        {
            _compiled.Remove(service);
        }
    }

    /// <summary>The result compiled ahead for <paramref name="key"/>, with <paramref name="revision"/> in its version, or null.</summary>
    private CompileResult? Ahead(string service, string key, long revision)
    {
        if (ahead?.Take(service, key) is not { Snapshot: { } snapshot, Json: { } json } held
            || SnapshotEncoding.WithRevision(snapshot.Version, json, revision) is not { } stamped)
        {
            return null;
        }

        Precompiled++;
        return held with { Snapshot = snapshot with { Version = stamped.Version }, Json = stamped.Json };
    }

    /// <summary>
    /// What <paramref name="service"/>'s snapshot depends on in <paramref name="inputs"/>: equal keys, equal snapshots (but for the
    /// revision in the version). A service scoped by an Egress policy (<see cref="SnapshotCompiler.ScopeOf"/>) depends on the
    /// destinations of its in-scope clusters only, and on the policies of those clusters, not every service's.
    /// </summary>
    public static string KeyOf(string service, CompilationInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var scope = inputs.ScopeOf(service);
        var key = new StringBuilder(scope is null ? inputs.SharedKey : inputs.ScopedKey);
        if (scope is not null)
        {
            var names = new List<string>(scope);
            names.Sort(StringComparer.Ordinal);
            foreach (var name in names)
            {
                inputs.AppendDestinations(key, name);
            }
        }

        foreach (var policy in inputs.ApplicableTo(service))
        {
            if (SnapshotCompiler.InScope(policy, service, scope))
            {
                key.Append('\n').Append(policy.PolicyId).Append('@').Append(policy.Version)
                    .Append('@').Append(policy.ActivatedAt?.UtcTicks.ToString(CultureInfo.InvariantCulture))
                    .Append('@').Append(StringComparer.Ordinal.GetHashCode(policy.Content).ToString(CultureInfo.InvariantCulture))
                    .Append('@').Append(policy.Document.Target);
            }
        }

        return key.ToString();
    }
}
