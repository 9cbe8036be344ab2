// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Discovery;

/// <summary>A sidecar that registered with a replica: which service it fronts and where its inbound listener is.</summary>
internal sealed record ServiceEndpoint
{
    /// <summary>The service the sidecar fronts.</summary>
    public required string ServiceName { get; init; }

    /// <summary>The sidecar's node id (unique within the service).</summary>
    public required string NodeId { get; init; }

    /// <summary>The sidecar's inbound address (<c>host:port</c> or an http(s) URL): where other sidecars send this service's traffic.</summary>
    public required string Address { get; init; }

    /// <summary>The replica holding its watch stream.</summary>
    public string Replica { get; init; } = string.Empty;

    /// <summary>Until when the registration counts without a refresh (Redis-shared registrations).</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>
    /// The sidecar's bus address (<c>ip:port</c>) from its last agent report (<c>PUT /api/v1/discovery/{service}/{node}/agents</c>),
    /// or null; filled in by <see cref="ServiceDirectory.ListAsync"/>.
    /// </summary>
    public string? BusAddress { get; init; }

    /// <summary>The agents connected to the sidecar's bus from its last report (empty when none was made).</summary>
    public IReadOnlyList<string> Agents { get; init; } = [];

    /// <summary>The directory key.</summary>
    public string Key => ServiceName + "|" + NodeId;
}
