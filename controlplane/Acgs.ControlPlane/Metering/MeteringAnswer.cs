// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Metering;

/// <summary>The JSON answer of <c>GET /api/v1/metering</c>.</summary>
internal sealed record MeteringAnswer(long FromUnixMs, long ToUnixMs, IReadOnlyList<string> GroupBy, int Windows, IReadOnlyList<MeteringTotal> Totals);
