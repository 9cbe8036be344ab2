// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Compiler;
using Acgs.ControlPlane.Discovery;
using Acgs.ControlPlane.Store;

namespace Acgs.ControlPlane.Policies;

/// <summary>
/// Would a change to the active policies still compile? Compiles the snapshot of every service with registered sidecars
/// from the current topology twice — with the active policies as they are, and with the change applied — and returns the
/// errors the change introduces, one line each as <c>service 'x': error</c>. Errors that exist already (a service broken
/// before the change) do not block an unrelated change. Nothing is stored or pushed.
/// </summary>
internal sealed class CompileCheck(ServiceDirectory directory, Hosting.ControlPlaneOptions options, Identity.CertificateAuthorityProvider? authority = null)
{
    /// <summary>
    /// The errors that replacing policy <paramref name="id"/>'s active version by <paramref name="candidate"/> (null: no active
    /// version) would introduce, given the active policies in <paramref name="store"/>.
    /// </summary>
    public async Task<List<string>> IntroducedErrorsAsync(IPolicyStore store, string id, ActivePolicy? candidate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var before = await ActivePolicies.LoadAsync(store, cancellationToken).ConfigureAwait(false);
        var after = new List<ActivePolicy>(before.Count + 1);
        foreach (var policy in before)
        {
            if (!string.Equals(policy.PolicyId, id, StringComparison.Ordinal))
            {
                after.Add(policy);
            }
        }

        if (candidate is not null)
        {
            after.Add(candidate);
        }

        var endpoints = await directory.ListAsync().ConfigureAwait(false);
        var services = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            services.Add(endpoint.ServiceName);
        }

        var bundle = authority?.Current?.TrustBundlePem ?? [];
        var domain = authority?.TrustDomain;
        var introduced = new List<string>();
        var inputsNow = CompilationInputs.Prepare(before, endpoints, options.AcceptedHashes, bundle, domain); // shared by every service, once
        var inputsNext = CompilationInputs.Prepare(after, endpoints, options.AcceptedHashes, bundle, domain);
        foreach (var service in services)
        {
            var now = SnapshotCompiler.Compile(service, inputsNow, 0);
            var next = SnapshotCompiler.Compile(service, inputsNext, 0);
            var existing = new HashSet<string>(now.Errors, StringComparer.Ordinal);
            foreach (var error in next.Errors)
            {
                if (!existing.Contains(error))
                {
                    introduced.Add($"service '{service}': {error}");
                }
            }
        }

        return introduced;
    }
}
