// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Distribution;

/// <summary>A policy's quarantine for one service, as <c>GET /api/v1/policies/{id}</c> shows it.</summary>
internal sealed record QuarantineView(string Service, string Version, IReadOnlyList<string> Errors);
