// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.Contracts.BusWire;
using Acgs.Contracts.Validation;

namespace Acgs.Sidecar.Bus;

/// <summary>Why a JSON message was refused before routing.</summary>
/// <param name="Code">The bus error code that decides the HTTP status (the most specific problem found).</param>
/// <param name="Detail">Every problem as one line (never echoes a hash).</param>
/// <param name="Errors">Every problem found, each with its field (snake_case) and what is wrong.</param>
/// <param name="Type">The seed message type when it could be read (metric label), else <see cref="BusMetrics.UnparsedType"/>.</param>
internal readonly record struct BusJsonProblem(BusErrorCode Code, string Detail, ImmutableArray<ValidationError> Errors, int Type);
