// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Transparent;

namespace Acgs.Sidecar.Config;

/// <summary>Everything the sidecar needs to start: local options, the first snapshot and where it came from.</summary>
/// <param name="Options">Sidecar-local settings.</param>
/// <param name="Snapshot">The first config snapshot (not yet validated).</param>
/// <param name="Source">Where <paramref name="Snapshot"/> came from (<see cref="ConfigSources"/>).</param>
/// <param name="Hash">Environment overrides of the hash policy, re-applied on file reloads.</param>
internal sealed record SidecarBootstrap(SidecarOptions Options, ConfigSnapshot Snapshot, string Source, HashOverrides Hash)
{
    /// <summary>Transparent-proxy settings (<c>ACGS_ORIGINAL_DST</c>, <c>ACGS_OUTBOUND_*PASSTHROUGH</c>). Default: the defaults.</summary>
    public TransparentOptions Transparent { get; init; } = new();

    /// <summary>Socket-transport settings of the HTTP listeners (<c>ACGS_KESTREL_*</c>). Default: the defaults.</summary>
    public SocketTransportSettings Sockets { get; init; } = new();

    /// <summary>Connection limits, timeouts and the body limit of the HTTP listeners (docs/limits.md). Default: the defaults.</summary>
    public ListenerLimits Limits { get; init; } = new();

    /// <summary>The admin token of the state-changing admin endpoints (<c>ACGS_ADMIN_API_TOKEN[_FILE]</c>). Default: unknown to anyone (refused).</summary>
    public Admin.AdminToken AdminToken { get; init; } = Admin.AdminToken.Unknown();

    /// <summary>The console log format (<c>ACGS_LOG_FORMAT</c>, docs/observability.md). Default: text.</summary>
    public Acgs.Core.Logging.LogFormat LogFormat { get; init; } = Acgs.Core.Logging.LogFormat.Text;

    /// <summary>Tracing (<c>OTEL_*</c>, docs/observability.md). Default: off.</summary>
    public Tracing.TracingOptions Tracing { get; init; } = Acgs.Sidecar.Tracing.TracingOptions.Off;

    /// <summary>The access log (<c>ACGS_ACCESS_LOG*</c>, docs/observability.md). Default: off.</summary>
    public AccessLog.AccessLogOptions AccessLog { get; init; } = Acgs.Sidecar.AccessLog.AccessLogOptions.Off;

    /// <summary>The app's HTTP probes served under <c>/app-health/</c> on the admin port (<c>ACGS_APP_PROBES</c>). Default: none.</summary>
    public Admin.AppHealthProbes AppProbes { get; init; } = Admin.AppHealthProbes.None;

    /// <summary>A bootstrap on the embedded default for <paramref name="options"/>.</summary>
    public static SidecarBootstrap Embedded(SidecarOptions options, HashOverrides? hash = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        hash ??= HashOverrides.None;
        return new(options, EmbeddedSnapshot.Create(options, hash), ConfigSources.Embedded, hash);
    }
}
