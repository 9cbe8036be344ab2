// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.Contracts.Metering;

/// <summary>
/// One closed metering window of one sidecar: the usage of its service between <see cref="StartUnixMs"/> and
/// <see cref="EndUnixMs"/>. <see cref="Id"/> (<c>&lt;service&gt;/&lt;node&gt;/&lt;start&gt;/&lt;sequence&gt;</c>) is
/// idempotent: the control plane stores a window once however often it is sent.
/// </summary>
public sealed record MeteringWindow
{
    /// <summary>Most rows in one window.</summary>
    public const int MaxRows = 4096;

    /// <summary>The window id.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>The destination service (the sidecar's).</summary>
    public string Service { get; init; } = string.Empty;

    /// <summary>The sidecar's node id.</summary>
    public string Node { get; init; } = string.Empty;

    /// <summary>Window start, Unix milliseconds (inclusive).</summary>
    public long StartUnixMs { get; init; }

    /// <summary>Window end, Unix milliseconds (exclusive).</summary>
    public long EndUnixMs { get; init; }

    /// <summary>The rows (keys with usage in the window).</summary>
    public ImmutableArray<MeteringRow> Rows { get; init => field = value.IsDefault ? [] : value; } = [];
}
