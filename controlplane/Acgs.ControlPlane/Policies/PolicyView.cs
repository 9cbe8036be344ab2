// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Distribution;
using Acgs.ControlPlane.Store;

namespace Acgs.ControlPlane.Policies;

/// <summary>A policy as the API shows it (versions without content); <see cref="Quarantined"/> lists the services whose snapshots leave it out because it stopped compiling.</summary>
internal sealed record PolicyView(
    string Id,
    string? Description,
    string? ActiveVersion,
    long Revision,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<PolicyVersionView> Versions)
{
    /// <summary>Where this replica's last rebuild quarantined the policy (empty when it compiles everywhere).</summary>
    public IReadOnlyList<QuarantineView> Quarantined { get; init; } = [];

    /// <summary>The view of a stored policy.</summary>
    public static PolicyView From(PolicyRecord record, PolicyQuarantine? quarantine = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var versions = new List<PolicyVersionView>(record.Versions.Length);
        foreach (var version in record.Versions)
        {
            versions.Add(PolicyVersionView.From(version, withContent: false));
        }

        return new(record.Id, record.Description, record.ActiveVersion, record.Revision, record.CreatedAt, record.UpdatedAt, versions)
        {
            Quarantined = quarantine?.Of(record.Id) ?? [],
        };
    }
}
