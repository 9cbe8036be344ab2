// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.BusWire;

namespace Acgs.Bus.Client;

/// <summary>The answer to a posted message: <paramref name="code"/> is none for an ack (flags say whether it was stored).</summary>
public delegate void BusReplyHandler(ReadOnlySpan<byte> messageId, BusErrorCode code, BusFrameFlagBits flags);
