// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>What <see cref="AgentReporter"/> reports: the agents connected to this sidecar's bus and where other sidecars reach it.</summary>
internal interface ILocalAgentSource
{
    /// <summary>The bus address to advertise (<c>ip:port</c>), or null when the bus is not running or has no usable address.</summary>
    string? BusAddress { get; }

    /// <summary>The ids of the agents connected now, sorted ordinally, without duplicates.</summary>
    IReadOnlyList<string> ConnectedAgents();
}
