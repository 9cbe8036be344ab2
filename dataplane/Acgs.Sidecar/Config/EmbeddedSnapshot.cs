// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Core;

namespace Acgs.Sidecar.Config;

/// <summary>The snapshot used without a config file: inbound → the local app, hash enforced, no outbound routes.</summary>
internal static class EmbeddedSnapshot
{
    /// <summary>The version string of the embedded snapshot.</summary>
    public const string Version = "embedded-1";

    /// <summary>The embedded snapshot for <paramref name="options"/> with the environment's hash settings.</summary>
    public static ConfigSnapshot Create(SidecarOptions options, HashOverrides hash)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(hash);
        var primary = hash.AcceptedHashes is { Length: > 0 } accepted ? accepted[0] : AcgsConstants.ConstitutionalHash;
        var snapshot = new ConfigSnapshot
        {
            ConstitutionalHash = primary,
            Version = Version,
            ServiceName = options.ServiceName,
        };
        return hash.ApplyTo(snapshot);
    }
}
