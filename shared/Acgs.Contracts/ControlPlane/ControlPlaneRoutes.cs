// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.ControlPlane;

/// <summary>
/// The URL paths of the control-plane API that sidecars call: the control plane maps its groups and templates, the
/// sidecar's client builds the concrete paths (names escaped). Every call carries the sidecar token as a Bearer header.
/// </summary>
public static class ControlPlaneRoutes
{
    /// <summary>The discovery group: watch stream, ACK/NACK, agent reports.</summary>
    public const string DiscoveryGroup = "/api/v1/discovery";

    /// <summary>The health group: health reports and deregistration.</summary>
    public const string HealthGroup = "/api/v1/health";

    /// <summary><c>GET</c>: the NDJSON watch stream, with the query <c>service</c>, <c>node</c> and <c>address</c>.</summary>
    public const string WatchTemplate = "/watch";

    /// <summary><c>POST</c> a <see cref="Discovery.SnapshotAck"/>.</summary>
    public const string AckTemplate = "/ack";

    /// <summary>
    /// <c>POST</c> with the query <c>service</c> and <c>node</c>: one long-lived request whose body is NDJSON, one
    /// <see cref="Discovery.SnapshotAck"/> per line (<see cref="WatchLines.AckStreamHeader"/>).
    /// </summary>
    public const string AckStreamTemplate = "/acks";

    /// <summary><c>PUT</c> a <see cref="Discovery.BusAgentReport"/>.</summary>
    public const string AgentReportTemplate = "/{service}/{node}/agents";

    /// <summary><c>PUT</c> a <see cref="Health.HealthReport"/>; <c>DELETE</c> deregisters the node.</summary>
    public const string NodeHealthTemplate = "/{service}/{node}";

    /// <summary>The ACK/NACK path.</summary>
    public const string Ack = DiscoveryGroup + AckTemplate;

    /// <summary>The ACK stream path of one sidecar (<see cref="AckStreamTemplate"/>).</summary>
    public static string AckStream(string service, string node) =>
        DiscoveryGroup + AckStreamTemplate + "?service=" + Escape(service) + "&node=" + Escape(node);

    /// <summary>The watch path for one sidecar (<paramref name="address"/>: its advertised inbound address).</summary>
    public static string Watch(string service, string node, string address) =>
        DiscoveryGroup + WatchTemplate + "?service=" + Escape(service) + "&node=" + Escape(node) + "&address=" + Escape(address);

    /// <summary>The watch path of a sidecar that applies delta lines (<see cref="WatchLines.DeltaType"/>) when <paramref name="deltas"/>.</summary>
    public static string Watch(string service, string node, string address, bool deltas) =>
        deltas ? Watch(service, node, address) + "&" + WatchLines.DeltasParameter + "=1" : Watch(service, node, address);

    /// <summary>The agent-report path of one sidecar.</summary>
    public static string AgentReport(string service, string node) => DiscoveryGroup + "/" + Escape(service) + "/" + Escape(node) + "/agents";

    /// <summary>The health path of one sidecar: <c>PUT</c> reports, <c>DELETE</c> deregisters.</summary>
    public static string NodeHealth(string service, string node) => HealthGroup + "/" + Escape(service) + "/" + Escape(node);

    private static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Uri.EscapeDataString(value);
    }
}
