// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Injection;
using Acgs.ControlPlane.Leadership;
using Acgs.Core.Logging;
using Acgs.ControlPlane.Recovery;
using Acgs.ControlPlane.Rollouts;
using Microsoft.Extensions.Configuration;

namespace Acgs.ControlPlane.Hosting;

/// <summary>Every setting of the control plane, read at once through one <see cref="Acgs.Core.Settings.SettingsReader"/>.</summary>
/// <param name="Host">Ports, tokens, store, hashes, health aggregation.</param>
/// <param name="Webhook">The sidecar-injection webhook and what it injects.</param>
/// <param name="Rollouts">Rollout controller settings.</param>
/// <param name="Recovery">Recovery orchestrator settings.</param>
/// <param name="Leadership">Leader election of replicas on Redis.</param>
/// <param name="LogFormat">The console log format (<c>ACGS_LOG_FORMAT</c>).</param>
internal sealed record ControlPlaneSettings(
    ControlPlaneOptions Host, WebhookOptions Webhook, RolloutOptions Rollouts, RecoveryOptions Recovery, LeadershipOptions Leadership, LogFormat LogFormat)
{
    /// <summary>Metering retention.</summary>
    public Acgs.ControlPlane.Metering.MeteringStoreOptions Metering { get; init; } = new();

    /// <summary>Tracing (OpenTelemetry's <c>OTEL_*</c> variables); off without an endpoint.</summary>
    public Acgs.ControlPlane.Tracing.ControlPlaneTracingOptions Tracing { get; init; } = new(null, Acgs.ControlPlane.Tracing.ControlPlaneTracingOptions.DefaultServiceName, 3, 1.0);

    /// <summary>Reads everything from <paramref name="configuration"/>; <paramref name="problems"/> lists every invalid value, one line each.</summary>
    public static ControlPlaneSettings Read(IConfiguration configuration, out IReadOnlyList<string> problems)
    {
        var settings = ConfigurationSettings.Reader(
            configuration, ControlPlaneOptions.FileKeys, WebhookOptions.FileKeys, RolloutOptions.FileKeys, RecoveryOptions.FileKeys, LeadershipOptions.FileKeys,
            Acgs.ControlPlane.Metering.MeteringStoreOptions.FileKeys);
        var result = new ControlPlaneSettings(
            ControlPlaneOptions.Read(settings), WebhookOptions.Read(settings), RolloutOptions.Read(settings), RecoveryOptions.Read(settings),
            LeadershipOptions.Read(settings), LogSettings.ReadFormat(settings))
        {
            Metering = Acgs.ControlPlane.Metering.MeteringStoreOptions.Read(settings),
            Tracing = Acgs.ControlPlane.Tracing.ControlPlaneTracingOptions.Read(settings),
        };
        problems = settings.Problems;
        return result;
    }
}
