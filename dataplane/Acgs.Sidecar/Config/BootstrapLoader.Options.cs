// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Contracts.Config;
using Acgs.Core.ConstitutionalHash;
using Acgs.Core.Settings;

namespace Acgs.Sidecar.Config;

/// <summary>The sidecar-local settings and the environment's hash overrides.</summary>
internal static partial class BootstrapLoader
{
    /// <summary>Reads <c>CONSTITUTIONAL_HASH</c> and <c>ACGS_HASH_MODE</c> through <paramref name="settings"/>.</summary>
    public static HashOverrides ReadHashOverrides(SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var result = HashOverrides.None;
        if (settings.Raw(SidecarEnvironment.ConstitutionalHash) is { } hashes)
        {
            if (ConstitutionalHashSet.TryCreate(SettingsReader.SplitList(hashes), out var set, out var problems))
            {
                result = result with { AcceptedHashes = set.Hashes };
            }
            else
            {
                settings.ReportAll(SidecarEnvironment.ConstitutionalHash, problems);
            }
        }

        if (settings.IsSet(SidecarEnvironment.HashMode))
        {
            result = result with { Mode = settings.Enum(SidecarEnvironment.HashMode, HashMode.Enforce) };
        }

        return result;
    }

    private static SidecarOptions BuildOptions(SidecarFileSection? file, SettingsReader settings)
    {
        var d = new SidecarOptions();
        file ??= new SidecarFileSection();
        // The older switch, read when set (and checked): true is the HTTP/2 hop, false the HTTP/1.1 one; the new variable wins.
        var meshHop = !settings.IsSet("ACGS_MTLS_HTTP2") ? d.MeshHop
            : settings.Bool("ACGS_MTLS_HTTP2", true) ? MeshHopProtocol.H2 : MeshHopProtocol.Http1;
        return d with
        {
            ServiceName = settings.Text(SidecarEnvironment.ServiceName, file.ServiceName ?? d.ServiceName),
            NodeId = settings.Text(SidecarEnvironment.NodeId, file.NodeId ?? d.NodeId),
            AppHost = settings.Parse(SidecarEnvironment.AppHost, file.AppHost ?? d.AppHost, TryParseHost, "a host name or IP address"),
            AppPort = settings.WholeNumber(SidecarEnvironment.AppPort, file.AppPort ?? d.AppPort, 1, 65535),
            InboundAddress = settings.ListenAddress(SidecarEnvironment.InboundAddress, file.InboundAddress ?? d.InboundAddress),
            InboundPort = settings.Port(SidecarEnvironment.InboundPort, file.InboundPort ?? d.InboundPort),
            OutboundAddress = settings.ListenAddress(SidecarEnvironment.OutboundAddress, file.OutboundAddress ?? d.OutboundAddress),
            OutboundPort = settings.Port(SidecarEnvironment.OutboundPort, file.OutboundPort ?? d.OutboundPort),
            AdminAddress = settings.ListenAddress(SidecarEnvironment.AdminAddress, file.AdminAddress ?? d.AdminAddress),
            AdminPort = settings.Port(SidecarEnvironment.AdminPort, file.AdminPort ?? d.AdminPort),
            DrainTimeout = settings.OptionalSeconds(SidecarEnvironment.DrainTimeoutSeconds, 0, 3600)
                ?? FileSeconds(file.DrainTimeoutSeconds, "drain_timeout_seconds", settings) ?? d.DrainTimeout,
            ConfigPollInterval = settings.OptionalSeconds(SidecarEnvironment.ConfigPollSeconds, 0.05, 600)
                ?? FileSeconds(file.ConfigPollSeconds, "config_poll_seconds", settings) ?? d.ConfigPollInterval,
            AppProbeInterval = settings.OptionalSeconds(SidecarEnvironment.AppProbeSeconds, 0.05, 60)
                ?? FileSeconds(file.AppProbeSeconds, "app_probe_seconds", settings) ?? d.AppProbeInterval,
            DestinationGrace = settings.OptionalSeconds("ACGS_DESTINATION_GRACE_SECONDS", 0, 3600) ?? d.DestinationGrace,
            MeshHop = settings.Enum("ACGS_MTLS_HOP_PROTOCOL", meshHop),
            MeshMaxConnections = settings.WholeNumber("ACGS_MTLS_MAX_CONNECTIONS", d.MeshMaxConnections, 0, 4096),
            MeshOverflowAfter = settings.Milliseconds("ACGS_MTLS_OVERFLOW_AFTER_MS", d.MeshOverflowAfter, 0, 60_000),
            MeshOverflowMaxConnections = settings.WholeNumber("ACGS_MTLS_OVERFLOW_MAX_CONNECTIONS", d.MeshOverflowMaxConnections, 1, 4096),
            MeshOverflowOpenRate = settings.Number("ACGS_MTLS_OVERFLOW_OPEN_RATE", d.MeshOverflowOpenRate, 0, 10_000),
            MeshOverflowOpenBurst = settings.WholeNumber("ACGS_MTLS_OVERFLOW_OPEN_BURST", d.MeshOverflowOpenBurst, 1, 4096),
            XForwarded = settings.Bool("ACGS_X_FORWARDED", d.XForwarded),
            DirectForward = settings.Bool("ACGS_DIRECT_FORWARD", d.DirectForward),
            Namespace = settings.DnsLabel(SidecarEnvironment.Namespace, d.Namespace),
            ClusterDomain = settings.DnsName(SidecarEnvironment.ClusterDomain, d.ClusterDomain),
        };
    }

    private static bool TryParseHost(string text, out string host)
    {
        host = text;
        return Uri.CheckHostName(text) != UriHostNameType.Unknown;
    }

    /// <summary>A file value in seconds; a value no duration can hold is reported here, the ranges by <see cref="SidecarOptions.Validate"/>.</summary>
    private static TimeSpan? FileSeconds(double? seconds, string key, SettingsReader settings)
    {
        if (seconds is not { } value)
        {
            return null;
        }

        if (double.IsFinite(value) && value is >= 0 and <= 86_400)
        {
            return TimeSpan.FromSeconds(value);
        }

        settings.Report("sidecar." + key, "must be a number of seconds from 0 to 86400", value.ToString(CultureInfo.InvariantCulture));
        return null;
    }
}
