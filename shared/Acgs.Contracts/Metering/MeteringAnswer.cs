// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Metering;

/// <summary>
/// The JSON answer of the control plane's <c>GET /api/v1/metering</c>: the time range (Unix ms, <c>[from, to)</c>), the
/// dimensions grouped by, how many windows were read, and the totals, largest count first.
/// </summary>
public sealed record MeteringAnswer(long FromUnixMs, long ToUnixMs, IReadOnlyList<string> GroupBy, int Windows, IReadOnlyList<MeteringTotal> Totals);
