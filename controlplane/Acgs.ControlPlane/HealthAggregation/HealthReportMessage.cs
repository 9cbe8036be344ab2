// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Health;
using Acgs.ControlPlane.Replication;

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary>
/// A sidecar's health report (or, with no <see cref="Report"/>, its deregistration) on the replicas' <c>health:reports</c>
/// channel: which replica received it (to skip its own), the service, the node and the report as accepted there.
/// </summary>
internal sealed record HealthReportMessage(string Origin, string? Service, string? Node, HealthReport? Report) : IReplicaMessage;
