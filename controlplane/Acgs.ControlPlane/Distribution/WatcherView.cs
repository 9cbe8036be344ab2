// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Distribution;

/// <summary>A connected sidecar as <c>GET /api/v1/discovery/sidecars</c> shows it.</summary>
internal sealed record WatcherView(string ServiceName, string NodeId, string Address, DateTimeOffset ConnectedAt, string? PushedVersion, string? AckedVersion, string? NackedVersion, IReadOnlyList<string> LastErrors);
