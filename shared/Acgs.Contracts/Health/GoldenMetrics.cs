// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Health;

/// <summary>
/// The golden metrics part of a <see cref="HealthReport"/> (JSON <c>golden</c>): every edge with traffic in the window since
/// the sidecar's previous accepted report, <c>{"window_ms":5000,"edges":[...]}</c>. Edges without requests are left out.
/// </summary>
/// <param name="WindowMs">The window the counts cover, in milliseconds (JSON <c>window_ms</c>).</param>
/// <param name="Edges">The edges (JSON <c>edges</c>, required; <c>[]</c> for none).</param>
public sealed record GoldenMetrics(long WindowMs, IReadOnlyList<EdgeMetrics?>? Edges)
{
    /// <summary>Requests per second of <paramref name="requests"/> over the window (0 for an empty window).</summary>
    public double Rate(long requests) => WindowMs <= 0 ? 0 : requests * 1000.0 / WindowMs;
}
