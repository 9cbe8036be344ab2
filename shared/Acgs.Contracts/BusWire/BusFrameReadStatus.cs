// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.BusWire;

/// <summary>Outcome of looking for the next frame in a buffer.</summary>
public enum BusFrameReadStatus : byte
{
    /// <summary>More bytes are needed.</summary>
    Incomplete = 0,

    /// <summary>A whole frame is available.</summary>
    Complete = 1,

    /// <summary>The stream cannot be resynchronised (bad magic, version or length): send an error and close.</summary>
    Fatal = 2,
}
