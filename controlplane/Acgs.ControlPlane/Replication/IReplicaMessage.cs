// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Replication;

/// <summary>A message between control-plane replicas: it names the replica that sent it, which skips its own.</summary>
internal interface IReplicaMessage
{
    /// <summary>The sender's <see cref="RedisReplicaFanout.Origin"/>.</summary>
    string Origin { get; }
}
