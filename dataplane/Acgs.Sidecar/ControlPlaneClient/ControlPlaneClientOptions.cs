// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Core.Settings;

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>
/// Settings of the control-plane client, from <c>ACGS_CONTROL_PLANE_URL</c>, <c>ACGS_NODE_ID</c>,
/// <c>ACGS_SERVICE_NAME</c>, <c>ACGS_CONTROL_PLANE_TOKEN</c>, <c>ACGS_INBOUND_ADDRESS</c>, <c>ACGS_LKG_PATH</c>,
/// <c>ACGS_CONTROL_PLANE_BACKOFF_MIN_MS</c>, <c>ACGS_CONTROL_PLANE_BACKOFF_MAX_MS</c>, <c>ACGS_BUS_ADVERTISE_ADDRESS</c>
/// <c>ACGS_AGENT_REPORT_MS</c>, <c>ACGS_HEALTH_REPORT_MS</c> and <c>ACGS_CONTROL_PLANE_ACK_STREAM</c>. The token is never printed.
/// </summary>
internal sealed record ControlPlaneClientOptions
{
    /// <summary>Base URL of the control plane (e.g. <c>http://acgs-control-plane:8000</c>).</summary>
    public required Uri Url { get; init; }

    /// <summary>This sidecar's node id (default: the host name).</summary>
    public required string NodeId { get; init; }

    /// <summary>The service this sidecar fronts.</summary>
    public required string ServiceName { get; init; }

    /// <summary>Bearer token for the watch stream and ACKs, or null.</summary>
    public string? Token { get; init; }

    /// <summary>
    /// The address other sidecars use to reach this one's inbound listener: <c>ACGS_INBOUND_ADVERTISE_ADDRESS</c> when set
    /// (an IP, combined with <c>ACGS_INBOUND_PORT</c>, or <c>host:port</c>), else derived from <c>ACGS_INBOUND_ADDRESS</c>
    /// (default <c>&lt;host name&gt;:15006</c>). A pod binds 0.0.0.0 and advertises its pod IP.
    /// </summary>
    public required string InboundAddress { get; init; }

    /// <summary>Where every accepted snapshot is written (last-known-good). Default <c>./.acgs/sidecar/last-known-good.json</c>.</summary>
    public string LastKnownGoodPath { get; init; } = Path.Combine(".", ".acgs", "sidecar", "last-known-good.json");

    /// <summary>First reconnect delay. Default 500 ms.</summary>
    public TimeSpan BackoffMin { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Largest reconnect delay. Default 30 s.</summary>
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The bus address other sidecars use to reach this one's bus (<c>ACGS_BUS_ADVERTISE_ADDRESS</c>, <c>ip:port</c>);
    /// null = the IP of <see cref="InboundAddress"/> with the bound bus port.
    /// </summary>
    public string? BusAdvertiseAddress { get; init; }

    /// <summary>How often the connected bus agents are checked and, when changed, reported (<c>ACGS_AGENT_REPORT_MS</c>). Default 1 s.</summary>
    public TimeSpan AgentReportInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>An unchanged agent report is repeated after this long (the control plane keeps reports in memory). Default 30 s.</summary>
    public TimeSpan AgentReportRefresh { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the breaker states are reported to the control plane's health aggregation (<c>ACGS_HEALTH_REPORT_MS</c>). Default 5 s.</summary>
    public TimeSpan HealthReportInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// ACKs go on one ACK stream per watch (<see cref="AckStream"/>) when the control plane offers it
    /// (<c>ACGS_CONTROL_PLANE_ACK_STREAM</c>, default true); false: one <c>POST</c> per answer, e.g. behind a proxy that buffers request bodies.
    /// </summary>
    public bool AckStream { get; init; } = true;

    /// <summary>
    /// Reads the settings; null (with no errors) when <c>ACGS_CONTROL_PLANE_URL</c> is unset (the client is off).
    /// Reports every problem at once.
    /// </summary>
    public static ControlPlaneClientOptions? Read(Func<string, string?> getVariable, out IReadOnlyList<string> errors)
    {
        var settings = new SettingsReader(getVariable);
        var options = Read(settings);
        errors = settings.Problems;
        return settings.IsValid ? options : null;
    }

    /// <summary>
    /// Reads the settings through <paramref name="settings"/>, which collects the problems; null when
    /// <c>ACGS_CONTROL_PLANE_URL</c> is unset (the client is off; nothing else is read then).
    /// </summary>
    public static ControlPlaneClientOptions? Read(SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.IsSet("ACGS_CONTROL_PLANE_URL"))
        {
            return null;
        }

        var uri = settings.OptionalHttpUrl("ACGS_CONTROL_PLANE_URL");
        var service = settings.OptionalText("ACGS_SERVICE_NAME");
        if (service is null)
        {
            settings.Report("ACGS_SERVICE_NAME", "is required with ACGS_CONTROL_PLANE_URL");
        }
        else if (!Acgs.Contracts.Validation.ServiceName.IsValid(service))
        {
            settings.Report("ACGS_SERVICE_NAME", Acgs.Contracts.Validation.ServiceName.Rule + " (the control plane refuses any other)", service);
        }

        var d = new ControlPlaneClientOptions { Url = new Uri("http://localhost:8000"), NodeId = string.Empty, ServiceName = string.Empty, InboundAddress = string.Empty };
        var options = d with
        {
            Url = uri ?? d.Url,
            NodeId = settings.Text("ACGS_NODE_ID", Environment.MachineName.ToLowerInvariant()),
            ServiceName = service ?? string.Empty,
            Token = settings.Secret("ACGS_CONTROL_PLANE_TOKEN"),
            InboundAddress = Advertised(settings.OptionalText("ACGS_INBOUND_ADVERTISE_ADDRESS") ?? settings.OptionalText("ACGS_INBOUND_ADDRESS"), settings.OptionalText("ACGS_INBOUND_PORT")),
            LastKnownGoodPath = settings.Text("ACGS_LKG_PATH", d.LastKnownGoodPath),
            BusAdvertiseAddress = settings.Parse<string?>("ACGS_BUS_ADVERTISE_ADDRESS", null, TryParseBusAddress, "ip:port (IPv6 as [addr]:port)"),
        };

        var before = settings.Problems.Count;
        options = options with
        {
            BackoffMin = settings.Milliseconds("ACGS_CONTROL_PLANE_BACKOFF_MIN_MS", d.BackoffMin, 1, 600_000),
            BackoffMax = settings.Milliseconds("ACGS_CONTROL_PLANE_BACKOFF_MAX_MS", d.BackoffMax, 1, 600_000),
        };
        if (settings.Problems.Count == before && options.BackoffMax < options.BackoffMin)
        {
            settings.Report("ACGS_CONTROL_PLANE_BACKOFF_MAX_MS", string.Create(CultureInfo.InvariantCulture,
                $"must not be smaller than ACGS_CONTROL_PLANE_BACKOFF_MIN_MS ({options.BackoffMin.TotalMilliseconds})"), settings.Raw("ACGS_CONTROL_PLANE_BACKOFF_MAX_MS") ?? "30000");
        }

        return options with
        {
            AgentReportInterval = settings.Milliseconds("ACGS_AGENT_REPORT_MS", d.AgentReportInterval, 1, 600_000),
            HealthReportInterval = settings.Milliseconds("ACGS_HEALTH_REPORT_MS", d.HealthReportInterval, 1, 600_000),
            AckStream = settings.Bool("ACGS_CONTROL_PLANE_ACK_STREAM", d.AckStream),
        };
    }

    /// <summary>The settings without the token.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"ControlPlaneClientOptions {{ Url = {Url}, Service = {ServiceName}, Node = {NodeId}, Inbound = {InboundAddress}, Token = {(Token is null ? "unset" : "set")}, LastKnownGood = {LastKnownGoodPath} }}");

    /// <summary>
    /// <c>ACGS_INBOUND_ADDRESS</c> is also the inbound listener's IP: a bare IP (or unset, <c>*</c>, <c>0.0.0.0</c>, <c>::</c>)
    /// is combined with <c>ACGS_INBOUND_PORT</c> (default 15006); wildcards advertise the host name. A <c>host:port</c> value is used as is.
    /// </summary>
    private static string Advertised(string? address, string? port)
    {
        port ??= "15006";
        if (address is null or "*" or "0.0.0.0" or "::" or "[::]")
        {
            return Environment.MachineName.ToLowerInvariant() + ":" + port;
        }

        if (address == "localhost")
        {
            return "127.0.0.1:" + port;
        }

        if (System.Net.IPAddress.TryParse(address, out var ip) && !address.Contains(']', StringComparison.Ordinal)
            && (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || !address.Contains(':', StringComparison.Ordinal)))
        {
            return (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + address + "]" : address) + ":" + port;
        }

        return address;
    }

    private static bool TryParseBusAddress(string text, out string? address)
    {
        address = text;
        return Acgs.Contracts.Config.ConfigSnapshotValidator.IsBusAddress(text);
    }
}
