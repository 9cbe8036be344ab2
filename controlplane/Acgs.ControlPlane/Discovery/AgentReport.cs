// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Discovery;

/// <summary>What a sidecar last reported about its bus: its bus address and the agents connected to it.</summary>
internal sealed record AgentReport
{
    /// <summary>The service the sidecar fronts.</summary>
    public required string ServiceName { get; init; }

    /// <summary>The sidecar's node id.</summary>
    public required string NodeId { get; init; }

    /// <summary>Where other sidecars reach its bus (<c>ip:port</c>).</summary>
    public required string BusAddress { get; init; }

    /// <summary>The connected agents, sorted, without duplicates.</summary>
    public required IReadOnlyList<string> Agents { get; init; }

    /// <summary>The directory key (<c>service|node</c>).</summary>
    public string Key => ServiceName + "|" + NodeId;

    /// <summary>True when <paramref name="other"/> reports the same address and agents.</summary>
    public bool SameAs(AgentReport? other)
    {
        if (other is null || other.BusAddress != BusAddress || other.Agents.Count != Agents.Count)
        {
            return false;
        }

        for (var i = 0; i < Agents.Count; i++)
        {
            if (!string.Equals(Agents[i], other.Agents[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
