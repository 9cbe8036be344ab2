// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Metering;

/// <summary>
/// One group of a <see cref="MeteringAnswer"/>: its dimension values (by <c>group_by</c> name) and its sums. The sums are
/// settable because the control plane adds the rows of many windows into one total.
/// </summary>
public sealed record MeteringTotal
{
    /// <summary>The group's value of each <c>group_by</c> dimension.</summary>
    public required IReadOnlyDictionary<string, string> Group { get; init; }

    /// <summary>Requests or messages.</summary>
    public long Count { get; set; }

    /// <summary>Request body bytes.</summary>
    public long RequestBytes { get; set; }

    /// <summary>Response body bytes.</summary>
    public long ResponseBytes { get; set; }

    /// <summary>Sum of the durations, microseconds.</summary>
    public long DurationUs { get; set; }
}
