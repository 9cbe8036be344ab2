// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Frozen;
using System.Text.Json;
using Acgs.Contracts.Injection;
using Acgs.Core.Settings;

namespace Acgs.Sidecar.Admin;

/// <summary>
/// The app's original HTTP probes, moved behind the admin port by injection (<c>ACGS_APP_PROBES</c>: JSON, admin path
/// <c>/app-health/&lt;container&gt;/&lt;kind&gt;</c> → the app's port, path, timeout and headers). Empty by default.
/// </summary>
internal sealed class AppHealthProbes
{
    /// <summary>The environment variable.</summary>
    public const string Variable = "ACGS_APP_PROBES";

    /// <summary>No probes.</summary>
    public static AppHealthProbes None { get; } = new(FrozenDictionary<string, AppProbeTarget>.Empty);

    private AppHealthProbes(FrozenDictionary<string, AppProbeTarget> targets) => Targets = targets;

    /// <summary>Admin path → target.</summary>
    public FrozenDictionary<string, AppProbeTarget> Targets { get; }

    /// <summary>Reads <see cref="Variable"/> through <paramref name="settings"/>; one problem line when it is not valid.</summary>
    public static AppHealthProbes Read(SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Parse(Variable, None, TryParse, "a JSON object of /app-health/<container>/<kind> paths to {port (1-65535), path starting with '/', timeout_seconds (1-60), headers}");
    }

    /// <summary>Parses the JSON of <see cref="Variable"/>.</summary>
    public static bool TryParse(string text, out AppHealthProbes probes)
    {
        probes = None;
        Dictionary<string, AppProbeTarget>? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(text, AppProbeJsonContext.Default.DictionaryStringAppProbeTarget);
        }
        catch (JsonException)
        {
            return false;
        }

        if (parsed is null)
        {
            return false;
        }

        var targets = new Dictionary<string, AppProbeTarget>(parsed.Count, StringComparer.Ordinal);
        foreach (var (path, parsedTarget) in parsed)
        {
            // The source-generated reader leaves absent init-only members at their type's default: restore the contract's.
            var target = parsedTarget is null ? null : parsedTarget with
            {
                Path = parsedTarget.Path ?? "/",
                TimeoutSeconds = parsedTarget.TimeoutSeconds == 0 ? 1 : parsedTarget.TimeoutSeconds,
                Headers = parsedTarget.Headers.IsDefault ? [] : parsedTarget.Headers,
            };
            if (!path.StartsWith("/app-health/", StringComparison.Ordinal) || target is null || target.Port is < 1 or > 65535
                || target.Path is not ['/', ..] || target.TimeoutSeconds is < 1 or > 60)
            {
                return false;
            }

            targets[path] = target;
        }

        probes = new AppHealthProbes(targets.ToFrozenDictionary(StringComparer.Ordinal));
        return true;
    }
}
