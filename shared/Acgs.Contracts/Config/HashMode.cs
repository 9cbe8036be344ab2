// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;

namespace Acgs.Contracts.Config;

/// <summary>
/// How requests without a valid constitutional hash are treated: in a <c>HashPolicy</c> (the policy API) and in the
/// snapshot's <c>hash_policy</c> a sidecar enforces. JSON: <c>enforce</c>, <c>audit</c>, <c>off</c>.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<HashMode>))]
public enum HashMode
{
    /// <summary>Reject with 403 problem+json (the default).</summary>
    [JsonStringEnumMemberName("enforce")]
    Enforce = 0,

    /// <summary>Count and log, but let the request through (a dry run before enforcing).</summary>
    [JsonStringEnumMemberName("audit")]
    Audit = 1,

    /// <summary>No check at all (exempt routes).</summary>
    [JsonStringEnumMemberName("off")]
    Off = 2,
}
