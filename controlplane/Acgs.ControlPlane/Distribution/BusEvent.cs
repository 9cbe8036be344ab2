// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Discovery;
using Acgs.ControlPlane.Replication;

namespace Acgs.ControlPlane.Distribution;

/// <summary>A message on the replicas' <c>events</c> channel: <c>change</c> (a committed policy change), <c>discovery</c> (sidecars came or went) or <c>ack</c> (an ACK that reached the wrong replica).</summary>
internal sealed record BusEvent(string Type, string Origin, DateTimeOffset? At, SnapshotAck? Ack) : IReplicaMessage;
