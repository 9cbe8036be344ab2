// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;

namespace Acgs.ControlPlane.Compiler;

internal static partial class SnapshotCompiler
{
    /// <summary>
    /// <c>mutual_tls</c>: the MutualTls policy for the service, else the mesh-wide one, else permissive; with the CA's
    /// trust bundle. Left out (null) when there is neither a policy nor a bundle.
    /// </summary>
    private static ConfigSnapshot WithMutualTls(ConfigSnapshot snapshot, string service, List<ActivePolicy> policies, ImmutableArray<string> trustBundle)
    {
        var spec = Pick<MutualTlsSpec>(service, policies);
        var bundle = trustBundle.IsDefault ? [] : trustBundle;
        if (spec is null && bundle.IsEmpty)
        {
            return snapshot;
        }

        return snapshot with { MutualTls = new MutualTlsConfig { Mode = spec?.Mode ?? MutualTlsMode.Permissive, TrustBundle = bundle } };
    }
}
