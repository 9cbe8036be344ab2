// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Metering;

/// <summary>
/// One row of the top callers (<see cref="MeteringTopCallers"/>): a caller (<see cref="Source"/>: service, SPIFFE ID,
/// <c>unauthenticated</c>, or a sending agent) of one <see cref="Service"/>, with its HTTP requests and bus messages.
/// </summary>
public sealed record MeteringTopCaller
{
    /// <summary>The caller.</summary>
    public required string Source { get; init; }

    /// <summary>The destination service (the metering sidecar's).</summary>
    public required string Service { get; init; }

    /// <summary>HTTP requests (kind <c>http</c> and anything not a bus message).</summary>
    public long Requests { get; init; }

    /// <summary>Bus messages (kind <c>bus</c>).</summary>
    public long Messages { get; init; }

    /// <summary>Request body bytes (bus: frame bytes).</summary>
    public long RequestBytes { get; init; }

    /// <summary>Response body bytes.</summary>
    public long ResponseBytes { get; init; }

    /// <summary>Sum of the requests' durations, microseconds (bus messages add none).</summary>
    public long DurationUs { get; init; }

    /// <summary>The requests' mean duration in milliseconds; null without requests.</summary>
    public double? MeanMs => Requests == 0 ? null : DurationUs / 1000.0 / Requests;
}
