// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;

namespace Acgs.Contracts.Config;

/// <summary>How a sidecar treats requests whose constitutional hash is not valid (docs/architecture.md).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HashMode>))]
public enum HashMode
{
    /// <summary>Reject with 403 problem+json (the default).</summary>
    [JsonStringEnumMemberName("enforce")]
    Enforce = 0,

    /// <summary>Count and log, but let the request through (a dry run before enforcing).</summary>
    [JsonStringEnumMemberName("audit")]
    Audit = 1,

    /// <summary>No check at all.</summary>
    [JsonStringEnumMemberName("off")]
    Off = 2,
}
