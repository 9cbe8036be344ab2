// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.BusWire;

/// <summary>Message priority on the wire (the seed's values). Higher is delivered first.</summary>
public enum WirePriority : byte
{
    /// <summary>LOW (0).</summary>
    Low = 0,

    /// <summary>NORMAL (1).</summary>
    Normal = 1,

    /// <summary>HIGH (2).</summary>
    High = 2,

    /// <summary>CRITICAL (3).</summary>
    Critical = 3,
}
