// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Distribution;

/// <summary>A message on the replicas' Redis channel: <c>change</c> (a committed policy change), <c>discovery</c> (sidecars came or went) or <c>ack</c> (an ACK that reached the wrong replica).</summary>
internal sealed record BusEvent(string Type, string Origin, DateTimeOffset? At, AckRequest? Ack);
