// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net;
using Acgs.Core.Settings;

namespace Acgs.Sidecar.Config;

/// <summary>
/// Sidecar-local settings (not pushed by the control plane): identity, listener addresses and ports,
/// the local app's address, drain and polling intervals. Read once at start from the bootstrap file's
/// <c>sidecar</c> section and the environment (environment wins). Port 0 binds a free port.
/// </summary>
internal sealed record SidecarOptions
{
    /// <summary>The service this sidecar fronts (<c>ACGS_SERVICE_NAME</c>). Default <c>app</c>.</summary>
    public string ServiceName { get; init; } = "app";

    /// <summary>The protocol of calls to meshed sidecars over mTLS (<c>ACGS_MTLS_HOP_PROTOCOL</c>, default
    /// <see cref="MeshHopProtocol.Auto"/>: HTTP/2 requests over HTTP/2, HTTP/1.x over the HTTP/1.1 warm pool;
    /// <c>h2</c>: every request over HTTP/2 by ALPN; <c>http1</c>: every request over HTTP/1.1. The older
    /// <c>ACGS_MTLS_HTTP2</c> still works when the new variable is unset: true is <c>h2</c>, false <c>http1</c>;
    /// docs/identity.md measures them).</summary>
    public MeshHopProtocol MeshHop { get; init; } = MeshHopProtocol.Auto;

    /// <summary>At most this many HTTP/1.1 mTLS connections from this sidecar to one meshed destination, the warm pool
    /// (<c>ACGS_MTLS_MAX_CONNECTIONS</c>, default 16, 0 = no limit): a burst waits for a pooled connection (at most
    /// <see cref="MeshOverflowAfter"/>) instead of opening (and handshaking) one per waiting request.</summary>
    public int MeshMaxConnections { get; init; } = 16;

    /// <summary>How long an HTTP/1.1 mTLS request that finds all <see cref="MeshMaxConnections"/> connections to its
    /// destination busy waits for one before it goes over an overflow connection of its own
    /// (<c>ACGS_MTLS_OVERFLOW_AFTER_MS</c>, default 50 ms, 0 = never: it waits as long as it takes, the bound caps
    /// concurrency). The bounded pool stays warm (no handshakes under bursts); long calls are not capped.</summary>
    public TimeSpan MeshOverflowAfter { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>At most this many overflow connections (<see cref="MeshOverflowAfter"/>) from this sidecar to one meshed
    /// destination (<c>ACGS_MTLS_OVERFLOW_MAX_CONNECTIONS</c>, 1 to 4096, default 100): past them a request waits for
    /// a warm or an overflow connection, whichever frees first, within its own timeout, instead of opening (and
    /// handshaking) another.</summary>
    public int MeshOverflowMaxConnections { get; init; } = 100;

    /// <summary>How many new overflow connections (<see cref="MeshOverflowAfter"/>) a second this sidecar may open to one
    /// meshed destination (<c>ACGS_MTLS_OVERFLOW_OPEN_RATE</c>, 0 to 10000, default 2, 0 = no limit), a token bucket of
    /// <see cref="MeshOverflowOpenBurst"/>: past it a request that finds every overflow connection busy waits for a warm
    /// or an overflow connection, or the next token, within its own timeout, instead of handshaking, so a stall of the
    /// whole hop opens a few connections, not one per waiting request.</summary>
    public double MeshOverflowOpenRate { get; init; } = 2;

    /// <summary>The open rate's bucket (<c>ACGS_MTLS_OVERFLOW_OPEN_BURST</c>, 1 to 4096, default 4): this many overflow
    /// connections may open at once before <see cref="MeshOverflowOpenRate"/> applies.</summary>
    public int MeshOverflowOpenBurst { get; init; } = 4;

    /// <summary>
    /// Whether forwarded requests get YARP's <c>X-Forwarded-For</c>/<c>-Proto</c>/<c>-Host</c>/<c>-Prefix</c> headers, replacing
    /// the caller's (<c>ACGS_X_FORWARDED</c>, default true, so a caller cannot hand the app an <c>X-Forwarded-For</c> of
    /// its choosing; false: the caller's <c>X-Forwarded-*</c> go on as they came, as a gateway set them, and the upstream
    /// request holds fewer headers; the caller's identity is in <c>x-acgs-peer-identity</c>, the Host header is kept).
    /// </summary>
    public bool XForwarded { get; init; } = true;

    /// <summary>
    /// Whether eligible HTTP/1.1 requests go over the sidecar's own pooled forwarding path instead of YARP's forwarder
    /// (<c>ACGS_DIRECT_FORWARD</c>, default on; docs/sidecar-config.md, docs/performance.md).
    /// </summary>
    public bool DirectForward { get; init; } = true;

    /// <summary>This sidecar's node id (<c>ACGS_NODE_ID</c>). Default: the machine name.</summary>
    public string NodeId { get; init; } = Environment.MachineName;

    /// <summary>The local app's host (<c>ACGS_APP_HOST</c>). Default 127.0.0.1.</summary>
    public string AppHost { get; init; } = "127.0.0.1";

    /// <summary>The local app's port (<c>ACGS_APP_PORT</c>). Default 8081.</summary>
    public int AppPort { get; init; } = 8081;

    /// <summary>Inbound listener address (<c>ACGS_INBOUND_ADDRESS</c>). Default 0.0.0.0.</summary>
    public string InboundAddress { get; init; } = "0.0.0.0";

    /// <summary>Inbound listener port (<c>ACGS_INBOUND_PORT</c>). Default 15006.</summary>
    public int InboundPort { get; init; } = 15006;

    /// <summary>Outbound listener address (<c>ACGS_OUTBOUND_ADDRESS</c>). Default 127.0.0.1.</summary>
    public string OutboundAddress { get; init; } = "127.0.0.1";

    /// <summary>Outbound listener port (<c>ACGS_OUTBOUND_PORT</c>). Default 15001.</summary>
    public int OutboundPort { get; init; } = 15001;

    /// <summary>Admin listener address (<c>ACGS_ADMIN_ADDRESS</c>). Default 127.0.0.1.</summary>
    public string AdminAddress { get; init; } = "127.0.0.1";

    /// <summary>Admin listener port (<c>ACGS_ADMIN_PORT</c>). Default 15020.</summary>
    public int AdminPort { get; init; } = 15020;

    /// <summary>How long in-flight requests may finish after a drain or SIGTERM (<c>ACGS_DRAIN_TIMEOUT_SECONDS</c>). Default 15 s.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the config file is checked for changes (<c>ACGS_CONFIG_POLL_SECONDS</c>). Default 1 s.</summary>
    public TimeSpan ConfigPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the local app's port is probed for readiness (<c>ACGS_APP_PROBE_SECONDS</c>). Default 1 s.</summary>
    public TimeSpan AppProbeInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a destination a control-plane snapshot drops entirely is kept (<c>ACGS_DESTINATION_GRACE_SECONDS</c>, 0 = off). Default 60 s.</summary>
    public TimeSpan DestinationGrace { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The Kubernetes namespace this sidecar's pod runs in (<c>ACGS_NAMESPACE</c>; injected from the downward API).
    /// Default <c>default</c> (the local mesh's). Outbound service names are resolved with it, as Kubernetes DNS does.
    /// </summary>
    public string Namespace { get; init; } = "default";

    /// <summary>The cluster's DNS domain (<c>ACGS_CLUSTER_DOMAIN</c>). Default <c>cluster.local</c>.</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>The bootstrap config file (<c>--config</c> / <c>ACGS_CONFIG</c>); null = the embedded default.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>Every problem with these settings (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Require(errors, !string.IsNullOrWhiteSpace(ServiceName), "sidecar.service_name (ACGS_SERVICE_NAME): is required");
        Require(errors, !string.IsNullOrWhiteSpace(NodeId), "sidecar.node_id (ACGS_NODE_ID): is required");
        Require(errors, Uri.CheckHostName(AppHost) != UriHostNameType.Unknown, $"sidecar.app_host (ACGS_APP_HOST): must be a host name or IP address (got '{SettingsReader.Shown(AppHost ?? string.Empty)}')");
        Require(errors, AppPort is >= 1 and <= 65535, $"sidecar.app_port (ACGS_APP_PORT): must be a whole number from 1 to 65535 (got '{I(AppPort)}')");
        CheckListener(errors, "inbound", InboundAddress, InboundPort);
        CheckListener(errors, "outbound", OutboundAddress, OutboundPort);
        CheckListener(errors, "admin", AdminAddress, AdminPort);
        var ports = new[] { InboundPort, OutboundPort, AdminPort };
        for (var i = 0; i < ports.Length; i++)
        {
            for (var j = i + 1; j < ports.Length; j++)
            {
                Require(errors, ports[i] == 0 || ports[i] != ports[j], $"listener ports must differ: {I(ports[i])} is used twice");
            }
        }

        Require(errors, DrainTimeout >= TimeSpan.Zero && DrainTimeout <= TimeSpan.FromHours(1), $"sidecar.drain_timeout_seconds (ACGS_DRAIN_TIMEOUT_SECONDS): must be a number of seconds from 0 to 3600 (got '{DrainTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}')");
        Require(errors, ConfigPollInterval >= TimeSpan.FromMilliseconds(50) && ConfigPollInterval <= TimeSpan.FromMinutes(10), $"sidecar.config_poll_seconds (ACGS_CONFIG_POLL_SECONDS): must be a number of seconds from 0.05 to 600 (got '{ConfigPollInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture)}')");
        Require(errors, AppProbeInterval >= TimeSpan.FromMilliseconds(50) && AppProbeInterval <= TimeSpan.FromMinutes(1), $"sidecar.app_probe_seconds (ACGS_APP_PROBE_SECONDS): must be a number of seconds from 0.05 to 60 (got '{AppProbeInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture)}')");
        return errors;
    }

    /// <summary>Parses a listener address: an IP address, <c>*</c> (any IPv4) or <c>localhost</c> (loopback).</summary>
    public static bool TryParseAddress(string? value, out IPAddress address) => SettingsReader.TryParseListenAddress(value, out address);

    private static void CheckListener(List<string> errors, string name, string address, int port)
    {
        var env = "ACGS_" + name.ToUpperInvariant();
        Require(errors, TryParseAddress(address, out _), $"sidecar.{name}_address ({env}_ADDRESS): must be an IP address, '*' or 'localhost' (got '{SettingsReader.Shown(address ?? string.Empty)}')");
        Require(errors, port is >= 0 and <= 65535, $"sidecar.{name}_port ({env}_PORT): must be a port number from 0 to 65535 (got '{I(port)}')");
    }

    private static void Require(List<string> errors, bool condition, string message)
    {
        if (!condition)
        {
            errors.Add(message);
        }
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
