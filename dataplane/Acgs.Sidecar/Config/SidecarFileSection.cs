// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Config;

/// <summary>The optional <c>sidecar</c> object of the bootstrap file (read at start only; environment variables win).</summary>
internal sealed record SidecarFileSection
{
    public string? ServiceName { get; init; }

    public string? NodeId { get; init; }

    public string? AppHost { get; init; }

    public int? AppPort { get; init; }

    public string? InboundAddress { get; init; }

    public int? InboundPort { get; init; }

    public string? OutboundAddress { get; init; }

    public int? OutboundPort { get; init; }

    public string? AdminAddress { get; init; }

    public int? AdminPort { get; init; }

    public double? DrainTimeoutSeconds { get; init; }

    public double? ConfigPollSeconds { get; init; }

    public double? AppProbeSeconds { get; init; }
}
