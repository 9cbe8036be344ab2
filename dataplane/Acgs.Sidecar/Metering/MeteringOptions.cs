// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Settings;

namespace Acgs.Sidecar.Metering;

/// <summary>The metering settings (docs/metering.md), read by the one settings reader.</summary>
internal sealed record MeteringOptions
{
    /// <summary><c>ACGS_METERING</c>: record usage (default true).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>ACGS_METERING_INTERVAL</c>: window length and shipping period, seconds (1–3600, default 10).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>ACGS_METERING_BUFFER</c>: most closed windows kept while the control plane is unreachable (1–100000, default 360: an hour at 10 s).</summary>
    public int BufferWindows { get; init; } = 360;

    /// <summary>Reads the settings through <paramref name="settings"/>, which collects the problems.</summary>
    public static MeteringOptions Read(SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var d = new MeteringOptions();
        return new MeteringOptions
        {
            Enabled = settings.Bool("ACGS_METERING", d.Enabled),
            Interval = settings.Seconds("ACGS_METERING_INTERVAL", d.Interval, 1, 3600),
            BufferWindows = settings.WholeNumber("ACGS_METERING_BUFFER", d.BufferWindows, 1, 100_000),
        };
    }
}
