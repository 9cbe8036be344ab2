// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.Contracts.Config;

namespace Acgs.Sidecar.Config;

/// <summary>
/// The operator's hash settings from the environment (<c>CONSTITUTIONAL_HASH</c>, <c>ACGS_HASH_MODE</c>).
/// When set they override the hash policy of the embedded default and of the bootstrap file (at
/// start and on every reload); snapshots from the control plane are taken as they are.
/// </summary>
internal sealed record HashOverrides
{
    /// <summary>No overrides.</summary>
    public static HashOverrides None { get; } = new();

    /// <summary>The accepted set from <c>CONSTITUTIONAL_HASH</c> (first = primary), or null.</summary>
    public ImmutableArray<string>? AcceptedHashes { get; init; }

    /// <summary>The mode from <c>ACGS_HASH_MODE</c>, or null.</summary>
    public HashMode? Mode { get; init; }

    /// <summary>The snapshot with these overrides applied.</summary>
    public ConfigSnapshot ApplyTo(ConfigSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if ((AcceptedHashes is null && Mode is null) || snapshot.HashPolicy is null)
        {
            return snapshot;
        }

        var policy = snapshot.HashPolicy;
        if (AcceptedHashes is { } accepted)
        {
            policy = policy with { AcceptedHashes = accepted };
        }

        if (Mode is { } mode)
        {
            policy = policy with { Mode = mode };
        }

        return snapshot with { HashPolicy = policy };
    }
}
