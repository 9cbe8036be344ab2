// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Compiler;
using Acgs.ControlPlane.Discovery;
using Acgs.ControlPlane.Store;

namespace Acgs.ControlPlane.Policies;

/// <summary>
/// Would a change to the active policies still compile? Compiles the snapshot of every service with registered sidecars
/// from the current topology with the change applied and, for a service that does not compile with it, with the active
/// policies as they are; returns the errors the change introduces, one line each as <c>service 'x': error</c>. Errors that
/// exist already (a service broken before the change) do not block an unrelated change. Nothing is stored or pushed; a
/// change that is about to be committed (<c>handOver</c>) leaves its compiled snapshots to the next rebuild
/// (<see cref="CompiledAhead"/>), which then does not compile them again.
/// </summary>
internal sealed class CompileCheck(ServiceDirectory directory, Hosting.ControlPlaneOptions options, Identity.CertificateAuthorityProvider? authority = null,
    CompiledAhead? ahead = null)
{
    // The last check's inputs: while the sidecars are the same, their destinations, agent directory and digests are taken
    // from it instead of being computed again (CompilationInputs.Prepare's previous; the rebuild does the same). A check takes
    // it out (Interlocked.Exchange) and puts its own back when done, so two checks never share one (its lazily filled digests
    // are not thread-safe) and neither waits for the other: a concurrent check simply prepares its inputs from scratch.
    private CompilationInputs? _last;

    /// <summary>
    /// The errors that replacing policy <paramref name="id"/>'s active version by <paramref name="candidate"/> (null: no active
    /// version) would introduce, given the active policies in <paramref name="store"/>. With <paramref name="handOver"/> and no
    /// error, the snapshots compiled with the change are offered to the next rebuild: <paramref name="candidate"/> should then be
    /// the policy as the store will hold it (its activation time and content), else no rebuild's key matches them.
    /// </summary>
    public async Task<List<string>> IntroducedErrorsAsync(IPolicyStore store, string id, ActivePolicy? candidate, CancellationToken cancellationToken, bool handOver = false)
    {
        ArgumentNullException.ThrowIfNull(store);
        var listing = store.ListAsync(cancellationToken);
        var reading = ListEndpointsAsync();
        await Task.WhenAll(listing, reading).ConfigureAwait(false);
        var records = await listing.ConfigureAwait(false);
        return IntroducedErrors(records, ActivePolicies.From(records), await reading.ConfigureAwait(false), id, candidate, handOver);
    }

    /// <summary>The registered sidecars the check compiles for (read it concurrently with the store, then pass it to <see cref="IntroducedErrors"/>).</summary>
    public Task<IReadOnlyCollection<ServiceEndpoint>> ListEndpointsAsync() => directory.ListAsync();

    /// <summary>
    /// As <see cref="IntroducedErrorsAsync"/>, from policies the caller has read: <paramref name="records"/> (the store's list) and
    /// <paramref name="before"/> (its active policies, <see cref="ActivePolicies.From"/>; not changed), and the sidecars <paramref name="endpoints"/>
    /// (<see cref="ListEndpointsAsync"/>), so a request that checks more (conflicts) reads and parses them once.
    /// </summary>
    public List<string> IntroducedErrors(IReadOnlyList<PolicyRecord> records, List<ActivePolicy> before, IReadOnlyCollection<ServiceEndpoint> endpoints, string id,
        ActivePolicy? candidate, bool handOver = false)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(endpoints);
        var after = Replace(records, before, id, candidate);
        return Compare(before, after, endpoints, handOver);
    }

    /// <summary>The errors compiling every registered service with <paramref name="after"/> introduces over <paramref name="before"/>.</summary>
    private List<string> Compare(List<ActivePolicy> before, List<ActivePolicy> after, IReadOnlyCollection<ServiceEndpoint> endpoints, bool handOver)
    {
        var services = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            services.Add(endpoint.ServiceName);
        }

        var bundle = authority?.Current?.TrustBundlePem ?? [];
        var domain = authority?.TrustDomain;
        var introduced = new List<string>();
        var previous = Interlocked.Exchange(ref _last, null); // this check's alone from here on
        var inputsNext = CompilationInputs.Prepare(after, endpoints, options.AcceptedHashes, bundle, domain, previous); // shared by every service, once
        CompilationInputs? inputsNow = null; // only for a service that does not compile with the change
        var compiled = handOver && ahead is not null ? new Dictionary<string, (string Key, CompileResult Result)>(StringComparer.Ordinal) : null;
        foreach (var service in services)
        {
            var next = SnapshotCompiler.Compile(service, inputsNext, 0);
            if (next.Errors.Count == 0)
            {
                compiled?.Add(service, (IncrementalCompiler.KeyOf(service, inputsNext), next));
                continue; // nothing introduced, whatever the service's errors before the change
            }

            inputsNow ??= CompilationInputs.Prepare(before, endpoints, options.AcceptedHashes, bundle, domain, inputsNext);
            var now = SnapshotCompiler.Compile(service, inputsNow, 0);
            var existing = new HashSet<string>(now.Errors, StringComparer.Ordinal);
            foreach (var error in next.Errors)
            {
                if (!existing.Contains(error))
                {
                    introduced.Add($"service '{service}': {error}");
                }
            }
        }

        if (compiled is not null && introduced.Count == 0)
        {
            ahead!.Offer(compiled);
        }

        Volatile.Write(ref _last, inputsNext); // the next check's previous (a concurrent one's, if it finishes later, wins: either is valid)
        return introduced;
    }

    /// <summary>
    /// The active policies with <paramref name="id"/>'s replaced by <paramref name="candidate"/> (or left out), in the store's
    /// order: the list a rebuild loads once the change is committed (<paramref name="before"/> is <paramref name="records"/>' active policies).
    /// </summary>
    private static List<ActivePolicy> Replace(IReadOnlyList<PolicyRecord> records, List<ActivePolicy> before, string id, ActivePolicy? candidate)
    {
        var after = new List<ActivePolicy>(before.Count + 1);
        var next = 0;
        var placed = false;
        foreach (var record in records)
        {
            var active = next < before.Count && string.Equals(before[next].PolicyId, record.Id, StringComparison.Ordinal) ? before[next++] : null;
            if (string.Equals(record.Id, id, StringComparison.Ordinal))
            {
                placed = true;
                if (candidate is not null)
                {
                    after.Add(candidate);
                }
            }
            else if (active is not null)
            {
                after.Add(active);
            }
        }

        if (!placed && candidate is not null)
        {
            after.Add(candidate); // a policy the store does not hold (a validation)
        }

        return after;
    }
}
