// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Distribution;

/// <summary>Body of <c>POST /api/v1/discovery/ack</c>: a sidecar accepted (ACK) or rejected (NACK, with errors) a pushed snapshot.</summary>
internal sealed record AckRequest(string? ServiceName, string? NodeId, string? Version, string? Nonce, bool Accepted, IReadOnlyList<string>? Errors);
