// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.BusWire;

namespace Acgs.Bus.Client;

/// <summary>The outcome of a send.</summary>
/// <param name="Code">None when acknowledged, else the error code.</param>
/// <param name="Stored">The recipient was offline and the message is stored for it.</param>
public readonly record struct BusSendResult(BusErrorCode Code, bool Stored)
{
    /// <summary>Delivered and acknowledged by the recipient, or stored for it.</summary>
    public bool IsSuccess => Code == BusErrorCode.None;
}
