// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.BusWire;

/// <summary>A parsed error body (spans over the caller's buffer).</summary>
/// <param name="Code">The reason code.</param>
/// <param name="MessageId">The message it refers to (empty for connection-level errors).</param>
/// <param name="Detail">Short ASCII detail text.</param>
public readonly ref struct BusErrorView(BusErrorCode Code, ReadOnlySpan<byte> MessageId, ReadOnlySpan<byte> Detail)
{
    /// <summary>The reason code.</summary>
    public BusErrorCode Code { get; } = Code;

    /// <summary>The message it refers to (empty for connection-level errors).</summary>
    public ReadOnlySpan<byte> MessageId { get; } = MessageId;

    /// <summary>Short ASCII detail text.</summary>
    public ReadOnlySpan<byte> Detail { get; } = Detail;
}
