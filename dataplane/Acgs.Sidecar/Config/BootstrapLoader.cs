// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Globalization;
using Acgs.Contracts.Config;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.Sidecar.Config;

/// <summary>
/// Builds the <see cref="SidecarBootstrap"/> from the command line (<c>--config PATH</c>), the
/// environment and the bootstrap file. Precedence: defaults &lt; file <c>sidecar</c> section &lt;
/// environment. Every problem is collected (none stops the reading early); the snapshot itself is
/// validated later by the one apply path.
/// </summary>
internal static class BootstrapLoader
{
    /// <summary>Reads everything; see <see cref="BootstrapResult"/>.</summary>
    public static BootstrapResult Load(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var errors = new List<string>();
        string? configPath = null;
        var help = false;
        var check = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                help = true;
            }
            else if (arg == "--check-config")
            {
                check = true;
            }
            else if (arg == "--config")
            {
                if (i + 1 < args.Count)
                {
                    configPath = args[++i];
                }
                else
                {
                    errors.Add("--config: a file path is required");
                }
            }
            else if (arg.StartsWith("--config=", StringComparison.Ordinal))
            {
                configPath = arg["--config=".Length..];
            }
            else
            {
                errors.Add($"unknown argument '{arg}' (try --help)");
            }
        }

        if (help)
        {
            return new BootstrapResult { ShowHelp = true };
        }

        configPath ??= Get(environment, SidecarEnvironment.Config);
        if (string.IsNullOrWhiteSpace(configPath))
        {
            configPath = null;
        }

        ConfigSnapshot? snapshot = null;
        SidecarFileSection? section = null;
        if (configPath is not null)
        {
            _ = ConfigFileReader.TryRead(configPath, errors, out snapshot, out section);
        }

        var options = BuildOptions(section, environment, errors) with { ConfigPath = configPath };
        errors.AddRange(options.Validate());
        var hash = ReadHashOverrides(environment, errors);
        var fileBroken = configPath is not null && snapshot is null;
        var bootstrap = snapshot is null
            ? SidecarBootstrap.Embedded(options, hash)
            : new SidecarBootstrap(options, hash.ApplyTo(snapshot), ConfigSources.Bootstrap, hash);
        if (!fileBroken)
        {
            // The snapshot is validated again by the apply path; here so that one listing shows every error.
            errors.AddRange(Contracts.Config.ConfigSnapshotValidator.Validate(bootstrap.Snapshot));
        }

        return errors.Count > 0
            ? new BootstrapResult { Errors = errors, CheckOnly = check }
            : new BootstrapResult { Bootstrap = bootstrap, CheckOnly = check };
    }

    /// <summary>Reads <c>CONSTITUTIONAL_HASH</c> and <c>ACGS_HASH_MODE</c>.</summary>
    public static HashOverrides ReadHashOverrides(IReadOnlyDictionary<string, string?> environment, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(errors);
        var result = HashOverrides.None;
        if (Get(environment, SidecarEnvironment.ConstitutionalHash) is { } hashes)
        {
            var list = hashes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (ConstitutionalHashSet.TryCreate(list, out var set, out var problems))
            {
                result = result with { AcceptedHashes = set.Hashes };
            }
            else
            {
                foreach (var problem in problems)
                {
                    errors.Add($"{SidecarEnvironment.ConstitutionalHash}: {problem}");
                }
            }
        }

        if (Get(environment, SidecarEnvironment.HashMode) is { } mode)
        {
            HashMode? parsed = mode.Trim().ToUpperInvariant() switch
            {
                "ENFORCE" => HashMode.Enforce,
                "AUDIT" => HashMode.Audit,
                "OFF" => HashMode.Off,
                _ => null,
            };
            if (parsed is null)
            {
                errors.Add($"{SidecarEnvironment.HashMode}: '{mode}' must be enforce, audit or off");
            }

            result = result with { Mode = parsed };
        }

        return result;
    }

    private static SidecarOptions BuildOptions(SidecarFileSection? file, IReadOnlyDictionary<string, string?> env, List<string> errors)
    {
        var d = new SidecarOptions();
        file ??= new SidecarFileSection();
        return d with
        {
            ServiceName = Get(env, SidecarEnvironment.ServiceName) ?? file.ServiceName ?? d.ServiceName,
            NodeId = Get(env, SidecarEnvironment.NodeId) ?? file.NodeId ?? d.NodeId,
            AppHost = Get(env, SidecarEnvironment.AppHost) ?? file.AppHost ?? d.AppHost,
            AppPort = Int(env, SidecarEnvironment.AppPort, errors) ?? file.AppPort ?? d.AppPort,
            InboundAddress = Get(env, SidecarEnvironment.InboundAddress) ?? file.InboundAddress ?? d.InboundAddress,
            InboundPort = Int(env, SidecarEnvironment.InboundPort, errors) ?? file.InboundPort ?? d.InboundPort,
            OutboundAddress = Get(env, SidecarEnvironment.OutboundAddress) ?? file.OutboundAddress ?? d.OutboundAddress,
            OutboundPort = Int(env, SidecarEnvironment.OutboundPort, errors) ?? file.OutboundPort ?? d.OutboundPort,
            AdminAddress = Get(env, SidecarEnvironment.AdminAddress) ?? file.AdminAddress ?? d.AdminAddress,
            AdminPort = Int(env, SidecarEnvironment.AdminPort, errors) ?? file.AdminPort ?? d.AdminPort,
            DrainTimeout = Seconds(env, SidecarEnvironment.DrainTimeoutSeconds, file.DrainTimeoutSeconds, errors) ?? d.DrainTimeout,
            ConfigPollInterval = Seconds(env, SidecarEnvironment.ConfigPollSeconds, file.ConfigPollSeconds, errors) ?? d.ConfigPollInterval,
            AppProbeInterval = Seconds(env, SidecarEnvironment.AppProbeSeconds, file.AppProbeSeconds, errors) ?? d.AppProbeInterval,
        };
    }

    private static string? Get(IReadOnlyDictionary<string, string?> env, string name) =>
        env.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static int? Int(IReadOnlyDictionary<string, string?> env, string name, List<string> errors)
    {
        if (Get(env, name) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add($"{name}: '{text}' is not a whole number");
        return null;
    }

    private static TimeSpan? Seconds(IReadOnlyDictionary<string, string?> env, string name, double? fileValue, List<string> errors)
    {
        double? seconds = fileValue;
        if (Get(env, name) is { } text)
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                seconds = parsed;
            }
            else
            {
                errors.Add($"{name}: '{text}' is not a number of seconds");
                return null;
            }
        }

        if (seconds is not { } value)
        {
            return null;
        }

        if (double.IsNaN(value) || value < 0 || value > 86_400)
        {
            errors.Add($"{name}: {value.ToString(CultureInfo.InvariantCulture)} must be between 0 and 86400 seconds");
            return null;
        }

        return TimeSpan.FromSeconds(value);
    }
}
