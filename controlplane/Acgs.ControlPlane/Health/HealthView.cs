// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Health;

/// <summary>Body of the probes.</summary>
internal sealed record HealthView(string Status, string? Store, string ConstitutionalHash);
