// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Metering;

/// <summary>One group of a metering answer: its dimension values (by <c>group_by</c> name) and its sums.</summary>
internal sealed record MeteringTotal
{
    public required IReadOnlyDictionary<string, string> Group { get; init; }

    public long Count { get; set; }

    public long RequestBytes { get; set; }

    public long ResponseBytes { get; set; }

    public long DurationUs { get; set; }
}
