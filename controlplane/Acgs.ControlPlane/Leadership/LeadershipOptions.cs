// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Settings;

namespace Acgs.ControlPlane.Leadership;

/// <summary>
/// How control-plane replicas on one Redis elect the one that runs rollouts and recovery (docs/kubernetes.md, "High
/// availability"). Unused with the embedded store: a single replica always leads.
/// </summary>
internal sealed record LeadershipOptions
{
    /// <summary>
    /// How long a leader's lease lasts without renewal (<c>ACGS_LEADER_LEASE_SECONDS</c>, 1–300, default 15, as a
    /// Kubernetes Lease's default duration): the longest a dead leader's work waits for another replica. Renewed every third of it.
    /// </summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The URL other replicas forward leader-only calls to (<c>ACGS_ADVERTISE_URL</c>, http or https). Null = the address
    /// this replica listens on (a wildcard bind is replaced by the host name); in Kubernetes set it from the pod IP.
    /// </summary>
    public Uri? AdvertiseUrl { get; init; }

    /// <summary>The config-file key of each variable (the variable wins).</summary>
    public static IReadOnlyList<(string Variable, string Key)> FileKeys { get; } =
    [
        ("ACGS_LEADER_LEASE_SECONDS", "ControlPlane:LeaderLeaseSeconds"), ("ACGS_ADVERTISE_URL", "ControlPlane:AdvertiseUrl"),
    ];

    /// <summary>Reads the settings through <paramref name="settings"/>, which collects the problems.</summary>
    public static LeadershipOptions Read(SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var d = new LeadershipOptions();
        return new LeadershipOptions
        {
            Lease = settings.Seconds("ACGS_LEADER_LEASE_SECONDS", d.Lease, 1, 300),
            AdvertiseUrl = settings.OptionalHttpUrl("ACGS_ADVERTISE_URL"),
        };
    }
}
