// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;

namespace Acgs.Contracts.Policies;

/// <summary>How requests without a valid constitutional hash are treated (docs/architecture.md). JSON: <c>enforce</c>, <c>audit</c>, <c>off</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HashEnforcementMode>))]
public enum HashEnforcementMode
{
    /// <summary>Reject with 403 (the default).</summary>
    [JsonStringEnumMemberName("enforce")]
    Enforce = 0,

    /// <summary>Count and log, let through (a dry run before enforcing).</summary>
    [JsonStringEnumMemberName("audit")]
    Audit = 1,

    /// <summary>No check (exempt routes).</summary>
    [JsonStringEnumMemberName("off")]
    Off = 2,
}
