// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Leadership;

/// <summary>Endpoint metadata: the endpoint reads or changes state only the leader holds (rollouts, recovery); other replicas forward it.</summary>
internal sealed class RequiresLeader
{
    /// <summary>The shared instance.</summary>
    public static RequiresLeader Instance { get; } = new();
}
