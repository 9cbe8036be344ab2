// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Settings;

namespace Acgs.ControlPlane.Metering;

/// <summary>How long the control plane keeps metering windows (<c>ACGS_METERING_RETENTION_HOURS</c>, 1–8760, default 168: a week).</summary>
internal sealed record MeteringStoreOptions
{
    /// <summary>Windows that ended longer ago are removed.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromHours(168);

    /// <summary>The <c>ControlPlane:</c> file keys of these settings.</summary>
    public static IReadOnlyList<(string Variable, string Key)> FileKeys { get; } = [("ACGS_METERING_RETENTION_HOURS", "ControlPlane:MeteringRetentionHours")];

    /// <summary>Reads the settings through <paramref name="settings"/>, which collects the problems.</summary>
    public static MeteringStoreOptions Read(SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new MeteringStoreOptions { Retention = TimeSpan.FromHours(settings.WholeNumber("ACGS_METERING_RETENTION_HOURS", 168, 1, 8760)) };
    }
}
