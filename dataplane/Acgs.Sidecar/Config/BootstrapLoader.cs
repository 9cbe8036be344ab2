// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Core.Settings;
using Acgs.Sidecar.Bus;
using Acgs.Sidecar.ControlPlaneClient;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Transparent;

namespace Acgs.Sidecar.Config;

/// <summary>
/// Builds the <see cref="SidecarBootstrap"/> from the command line (<c>--config PATH</c>), the
/// environment and the bootstrap file, reading every setting of the sidecar (listeners, hash,
/// transparent proxying, socket transport, control-plane client, bus, Redis) through one
/// <see cref="SettingsReader"/>. Precedence: defaults &lt; file <c>sidecar</c> section &lt;
/// environment. Every problem is collected (none stops the reading early); the snapshot itself is
/// validated again later by the one apply path.
/// </summary>
internal static partial class BootstrapLoader
{
    /// <summary>Reads everything; see <see cref="BootstrapResult"/>.</summary>
    public static BootstrapResult Load(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var settings = SettingsReader.From(environment);
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
                    settings.ReportGeneral("--config: a file path is required");
                }
            }
            else if (arg.StartsWith("--config=", StringComparison.Ordinal))
            {
                configPath = arg["--config=".Length..];
            }
            else
            {
                settings.ReportGeneral($"unknown argument '{SettingsReader.Shown(arg)}' (try --help)");
            }
        }

        if (help)
        {
            return new BootstrapResult { ShowHelp = true };
        }

        configPath ??= settings.OptionalText(SidecarEnvironment.Config);
        if (string.IsNullOrWhiteSpace(configPath))
        {
            configPath = null;
        }

        ConfigSnapshot? snapshot = null;
        SidecarFileSection? section = null;
        if (configPath is not null)
        {
            var fileErrors = new List<string>();
            _ = ConfigFileReader.TryRead(configPath, fileErrors, out snapshot, out section);
            fileErrors.ForEach(settings.ReportGeneral);
        }

        var options = BuildOptions(section, settings) with { ConfigPath = configPath };
        foreach (var problem in options.Validate())
        {
            settings.ReportGeneral(problem);
        }

        var hash = ReadHashOverrides(settings);
        var transparent = TransparentOptions.Read(settings);
        var sockets = SocketTransportTuning.Read(settings);
        var limits = ListenerLimits.Read(settings, DescriptorLimit.Soft(), DescriptorLimit.Open());
        var adminToken = Admin.AdminToken.Read(settings);
        var logFormat = Acgs.Core.Logging.LogSettings.ReadFormat(settings);
        var tracing = Tracing.TracingOptions.Read(settings);
        var accessLog = AccessLog.AccessLogOptions.Read(settings, logFormat);
        var appProbes = Admin.AppHealthProbes.Read(settings);
        _ = ControlPlaneClientOptions.Read(settings); // registered later by the client itself; here so that one listing shows every problem
        _ = Metering.MeteringOptions.Read(settings); // likewise for metering
        var identityProblems = new List<string>();
        _ = Identity.IdentitySettings.Read(settings.Raw, identityProblems); // likewise for the workload identity
        identityProblems.ForEach(settings.ReportGeneral);
        var bus = BusEnvironment.Read(settings, out var busRedis);
        var fileBroken = configPath is not null && snapshot is null;
        var bootstrap = (snapshot is null
            ? SidecarBootstrap.Embedded(options, hash)
            : new SidecarBootstrap(options, hash.ApplyTo(snapshot), ConfigSources.Bootstrap, hash)) with { Transparent = transparent, Sockets = sockets, Limits = limits, AdminToken = adminToken, LogFormat = logFormat, Tracing = tracing, AccessLog = accessLog, AppProbes = appProbes };
        if (!fileBroken)
        {
            // The snapshot is validated again by the apply path; here so that one listing shows every error.
            foreach (var problem in ConfigSnapshotValidator.Validate(bootstrap.Snapshot))
            {
                settings.ReportGeneral(problem);
            }
        }

        return settings.IsValid
            ? new BootstrapResult { Bootstrap = bootstrap, Bus = bus, BusRedis = busRedis, CheckOnly = check }
            : new BootstrapResult { Errors = settings.Problems, CheckOnly = check };
    }
}
