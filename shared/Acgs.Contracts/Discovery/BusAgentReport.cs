// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Discovery;

/// <summary>
/// Which agents are connected to a sidecar's bus and where other sidecars reach it: <c>PUT</c>
/// <see cref="ControlPlane.ControlPlaneRoutes.AgentReport"/> with <c>{"bus_address":"10.0.0.5:8080","agents":["agent-a"]}</c>.
/// The control plane compiles every sidecar's report into the snapshots' <c>agent_directory</c>. Checked by
/// <see cref="BusAgentReportValidator"/>; serialized through <see cref="Serialization.AcgsJsonContext"/>.
/// </summary>
/// <param name="BusAddress">The sidecar's bus address, <c>ip:port</c> (IPv6 as <c>[addr]:port</c>; JSON <c>bus_address</c>).</param>
/// <param name="Agents">The connected agents' ids (JSON <c>agents</c>, required; <c>[]</c> for none).</param>
public sealed record BusAgentReport(string? BusAddress, IReadOnlyList<string?>? Agents);
