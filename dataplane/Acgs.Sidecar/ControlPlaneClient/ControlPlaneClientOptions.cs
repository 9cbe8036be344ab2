// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>
/// Settings of the control-plane client, from <c>ACGS_CONTROL_PLANE_URL</c>, <c>ACGS_NODE_ID</c>,
/// <c>ACGS_SERVICE_NAME</c>, <c>ACGS_CONTROL_PLANE_TOKEN</c>, <c>ACGS_INBOUND_ADDRESS</c>, <c>ACGS_LKG_PATH</c>,
/// <c>ACGS_CONTROL_PLANE_BACKOFF_MIN_MS</c>, <c>ACGS_CONTROL_PLANE_BACKOFF_MAX_MS</c>, <c>ACGS_BUS_ADVERTISE_ADDRESS</c>
/// <c>ACGS_AGENT_REPORT_MS</c> and <c>ACGS_HEALTH_REPORT_MS</c>. The token is never printed.
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
    /// Reads the settings; null (with no errors) when <c>ACGS_CONTROL_PLANE_URL</c> is unset (the client is off).
    /// Reports every problem at once.
    /// </summary>
    public static ControlPlaneClientOptions? Read(Func<string, string?> getVariable, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        string? Get(string name) => getVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        var problems = new List<string>();
        errors = problems;
        if (Get("ACGS_CONTROL_PLANE_URL") is not { } url)
        {
            return null;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add("ACGS_CONTROL_PLANE_URL must be an absolute http(s) URL");
        }

        var service = Get("ACGS_SERVICE_NAME");
        if (service is null)
        {
            problems.Add("ACGS_SERVICE_NAME is required with ACGS_CONTROL_PLANE_URL");
        }
        else if (!Acgs.Contracts.Validation.ServiceName.IsValid(service))
        {
            problems.Add("ACGS_SERVICE_NAME " + Acgs.Contracts.Validation.ServiceName.Rule + " (the control plane refuses any other)");
        }

        var options = new ControlPlaneClientOptions
        {
            Url = uri ?? new Uri("http://localhost:8000"),
            NodeId = Get("ACGS_NODE_ID") ?? Environment.MachineName.ToLowerInvariant(),
            ServiceName = service ?? string.Empty,
            Token = Get("ACGS_CONTROL_PLANE_TOKEN"),
            InboundAddress = Advertised(Get("ACGS_INBOUND_ADVERTISE_ADDRESS") ?? Get("ACGS_INBOUND_ADDRESS"), Get("ACGS_INBOUND_PORT")),
        };
        if (Get("ACGS_LKG_PATH") is { } lkg)
        {
            options = options with { LastKnownGoodPath = lkg };
        }

        options = options with
        {
            BackoffMin = Milliseconds(Get("ACGS_CONTROL_PLANE_BACKOFF_MIN_MS"), "ACGS_CONTROL_PLANE_BACKOFF_MIN_MS", options.BackoffMin, problems),
            BackoffMax = Milliseconds(Get("ACGS_CONTROL_PLANE_BACKOFF_MAX_MS"), "ACGS_CONTROL_PLANE_BACKOFF_MAX_MS", options.BackoffMax, problems),
        };
        if (Get("ACGS_BUS_ADVERTISE_ADDRESS") is { } advertise)
        {
            if (Acgs.Contracts.Config.ConfigSnapshotValidator.IsBusAddress(advertise))
            {
                options = options with { BusAdvertiseAddress = advertise };
            }
            else
            {
                problems.Add("ACGS_BUS_ADVERTISE_ADDRESS must be ip:port (IPv6 as [addr]:port)");
            }
        }

        options = options with
        {
            AgentReportInterval = Milliseconds(Get("ACGS_AGENT_REPORT_MS"), "ACGS_AGENT_REPORT_MS", options.AgentReportInterval, problems),
            HealthReportInterval = Milliseconds(Get("ACGS_HEALTH_REPORT_MS"), "ACGS_HEALTH_REPORT_MS", options.HealthReportInterval, problems),
        };
        if (options.BackoffMax < options.BackoffMin)
        {
            problems.Add("ACGS_CONTROL_PLANE_BACKOFF_MAX_MS must not be smaller than ACGS_CONTROL_PLANE_BACKOFF_MIN_MS");
        }

        return problems.Count == 0 ? options : null;
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

    private static TimeSpan Milliseconds(string? value, string name, TimeSpan fallback, List<string> problems)
    {
        if (value is null)
        {
            return fallback;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms is >= 1 and <= 600_000)
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        problems.Add($"{name} must be a number of milliseconds between 1 and 600000");
        return fallback;
    }
}
