// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Bus;

/// <summary>An agent registered on the bus HTTP API (<c>POST /v1/senders</c>): the sender of every message posted with its token.</summary>
internal sealed record BusHttpSender(string AgentId, string TenantId);
