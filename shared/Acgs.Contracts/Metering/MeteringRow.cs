// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Metering;

/// <summary>
/// The usage of one key in one window (JSON, snake_case): who (<see cref="Source"/>) called the window's service, on which
/// <see cref="Operation"/>, for which <see cref="Tenant"/>, with which result (<see cref="StatusClass"/>), how often and
/// how much.
/// </summary>
public sealed record MeteringRow
{
    /// <summary><c>http</c> (an inbound request) or <c>bus</c> (a bus message sent through the sidecar).</summary>
    public string Kind { get; init; } = MeteringKinds.Http;

    /// <summary>The caller: its service name, its SPIFFE ID, <c>unauthenticated</c>; for the bus the sending agent.</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>HTTP: the first path segment (<c>/api</c>); bus: the recipient agent.</summary>
    public string Operation { get; init; } = string.Empty;

    /// <summary>The tenant (<c>x-acgs-tenant</c>, or the bus message's tenant); <c>-</c> when none.</summary>
    public string Tenant { get; init; } = string.Empty;

    /// <summary>1–5 for 1xx–5xx (HTTP); 2 for a bus message accepted for routing.</summary>
    public int StatusClass { get; init; }

    /// <summary>Requests or messages.</summary>
    public long Count { get; init; }

    /// <summary>Request body bytes (declared Content-Length; the bus: frame bytes).</summary>
    public long RequestBytes { get; init; }

    /// <summary>Response body bytes (declared Content-Length).</summary>
    public long ResponseBytes { get; init; }

    /// <summary>Sum of the durations, microseconds.</summary>
    public long DurationUs { get; init; }
}
