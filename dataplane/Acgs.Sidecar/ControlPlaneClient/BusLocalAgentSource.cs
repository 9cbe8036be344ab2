// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net;
using Acgs.Contracts.Config;
using Acgs.Sidecar.Bus;

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>
/// <see cref="ILocalAgentSource"/> over the sidecar's bus (<see cref="BusRouter.Agents"/>, the registered
/// sessions — the same list <c>GET /v1/agents</c> shows). The advertised address is
/// <c>ACGS_BUS_ADVERTISE_ADDRESS</c>, else the IP of <c>ACGS_INBOUND_ADDRESS</c> with the bound bus port.
/// </summary>
internal sealed class BusLocalAgentSource : ILocalAgentSource
{
    private readonly BusRouter? _router;
    private readonly BusListeners? _listeners;
    private readonly ControlPlaneClientOptions _options;

    /// <summary>Creates the source; without a router (bus not wired) it reports nothing.</summary>
    public BusLocalAgentSource(BusRouter? router, BusListeners? listeners, ControlPlaneClientOptions options)
    {
        _router = router;
        _listeners = listeners;
        _options = options;
    }

    /// <inheritdoc />
    public string? BusAddress => _router is null ? null : Advertised(_options, _listeners?.BusPort ?? 0);

    /// <summary>The address to advertise: the configured one, else the inbound address's IP with <paramref name="busPort"/>; null when neither is usable.</summary>
    public static string? Advertised(ControlPlaneClientOptions options, int busPort)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.BusAdvertiseAddress is { } configured)
        {
            return configured;
        }

        if (busPort <= 0)
        {
            return null;
        }

        var inbound = options.InboundAddress;
        var text = inbound.Contains("://", StringComparison.Ordinal) ? inbound : "http://" + inbound;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip))
        {
            return null;
        }

        var address = new IPEndPoint(ip, busPort).ToString();
        return ConfigSnapshotValidator.IsBusAddress(address) ? address : null;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ConnectedAgents()
    {
        if (_router is null)
        {
            return [];
        }

        var agents = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var session in _router.Agents)
        {
            if (session.AgentId is { Length: > 0 } id)
            {
                agents.Add(id);
            }
        }

        return [.. agents];
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"bus agents at {BusAddress ?? "(no address)"}");
}
