// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using System.Text.Json.Serialization;
using Acgs.Core.CircuitBreaker;

namespace Acgs.Contracts.Health;

/// <summary><see cref="CircuitState"/> as <c>closed</c>, <c>half_open</c>, <c>open</c> (numbers refused).</summary>
public sealed class CircuitStateJsonConverter : JsonStringEnumConverter<CircuitState>
{
    /// <summary>Creates the converter.</summary>
    public CircuitStateJsonConverter()
        : base(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    {
    }
}
