// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.ControlPlane.Distribution;

namespace Acgs.ControlPlane.Recovery;

/// <summary>
/// Delivers a breaker reset over the watch streams sidecars already hold: every connected sidecar of this replica gets
/// its service's current snapshot again, unchanged except for a version suffix <c>+reset.&lt;id&gt;</c> and one
/// <c>breaker_resets</c> entry. The sidecar validates and applies it like any snapshot (nothing but the version
/// changes), performs the reset once per id and ACKs. The next compiled snapshot replaces it with the plain version;
/// a sidecar that connects later starts with closed breakers anyway. Sidecars without a current snapshot on this
/// replica (still connecting) are skipped.
/// </summary>
internal sealed class WatchStreamBreakerResetPublisher(DistributionHub hub) : IBreakerResetPublisher
{
    /// <summary>Longest snapshot version (the shared validator's limit).</summary>
    private const int MaxVersionLength = 128;

    public int Publish(BreakerReset reset)
    {
        ArgumentNullException.ThrowIfNull(reset);
        var suffix = "+reset." + reset.Id;
        var sent = 0;
        foreach (var watcher in hub.Watchers)
        {
            if (hub.CurrentSnapshot(watcher.ServiceName) is not { } current)
            {
                continue;
            }

            var version = current.Version.Length + suffix.Length > MaxVersionLength
                ? current.Version[..(MaxVersionLength - suffix.Length)] + suffix
                : current.Version + suffix;
            if (watcher.Push(current with { Version = version, BreakerResets = [reset] }))
            {
                sent++;
            }
        }

        return sent;
    }
}
