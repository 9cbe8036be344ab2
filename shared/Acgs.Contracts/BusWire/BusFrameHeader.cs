// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.BusWire;

/// <summary>The decoded 8-byte frame header.</summary>
/// <param name="Type">The frame type (may be a value this codec does not know).</param>
/// <param name="Flags">The flags byte.</param>
/// <param name="BodyLength">Length of the body that follows the header.</param>
public readonly record struct BusFrameHeader(BusFrameType Type, BusFrameFlagBits Flags, int BodyLength)
{
    /// <summary>Header plus body.</summary>
    public int FrameLength => BusWireConstants.HeaderSize + BodyLength;
}
