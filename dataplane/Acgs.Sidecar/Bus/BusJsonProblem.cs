// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.BusWire;

namespace Acgs.Sidecar.Bus;

/// <summary>Why a JSON message was refused before routing.</summary>
/// <param name="Code">The bus error code.</param>
/// <param name="Detail">What was wrong (never echoes a hash beyond its safe prefix).</param>
internal readonly record struct BusJsonProblem(BusErrorCode Code, string Detail);
