// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Settings;
using Microsoft.Extensions.Configuration;

namespace Acgs.ControlPlane.Hosting;

/// <summary>
/// The control plane's settings source for <see cref="SettingsReader"/>: every setting is named by its environment
/// variable; the value is the variable's (through <see cref="IConfiguration"/>: environment, command line, tests) and,
/// when that is unset or blank, the config-file key it is mapped to (e.g. <c>ACGS_CONTROL_PLANE_PORT</c> →
/// <c>ControlPlane:Port</c> in <c>appsettings.json</c>). The variable wins.
/// </summary>
internal static class ConfigurationSettings
{
    /// <summary>A reader over <paramref name="configuration"/> with the file keys of <paramref name="keySets"/> (variable → key).</summary>
    public static SettingsReader Reader(IConfiguration configuration, params IReadOnlyList<(string Variable, string Key)>[] keySets)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(keySets);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var set in keySets)
        {
            foreach (var (variable, key) in set)
            {
                keys[variable] = key;
            }
        }

        return new SettingsReader(name =>
        {
            var value = configuration[name];
            return string.IsNullOrWhiteSpace(value) && keys.TryGetValue(name, out var key) ? configuration[key] : value;
        });
    }
}
