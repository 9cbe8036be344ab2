// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Chaos;

/// <summary>Body of <c>POST /api/v1/chaos/emergency-stop</c>: why the stop is engaged (required, 1–1024 characters).</summary>
internal sealed record EmergencyStopRequest(string? Reason);
