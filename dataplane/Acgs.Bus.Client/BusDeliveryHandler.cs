// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.BusWire;

namespace Acgs.Bus.Client;

/// <summary>Receives one delivered message; <paramref name="message"/> is valid only during the call.</summary>
public delegate void BusDeliveryHandler(in BusMessageView message, BusFrameFlagBits flags);
