// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Discovery;

/// <summary>Body of <c>PUT /api/v1/discovery/{service}/{node}/agents</c>: <c>{"bus_address":"10.0.0.5:8080","agents":["agent-a"]}</c>.</summary>
internal sealed record AgentReportRequest(string? BusAddress, IReadOnlyList<string?>? Agents);
