// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;

namespace Acgs.Contracts.Bus;

/// <summary>
/// Message priority (the seed's values); CRITICAL is delivered before HIGH before NORMAL before LOW.
/// JSON: the number (0–3); the names <c>LOW</c>, <c>NORMAL</c>, <c>HIGH</c>, <c>CRITICAL</c> are also read.
/// </summary>
[JsonConverter(typeof(MessagePriorityJsonConverter))]
public enum MessagePriority : byte
{
    /// <summary>LOW (0).</summary>
    Low = 0,

    /// <summary>NORMAL (1), the default.</summary>
    Normal = 1,

    /// <summary>HIGH (2).</summary>
    High = 2,

    /// <summary>CRITICAL (3).</summary>
    Critical = 3,
}
