// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.ControlPlane.Replication;

namespace Acgs.ControlPlane.Recovery;

/// <summary>A breaker reset on the replicas' <c>recovery:resets</c> channel: which replica sent it (to skip its own) and the reset.</summary>
internal sealed record RecoveryResetMessage(string Origin, BreakerReset? Reset) : IReplicaMessage;
