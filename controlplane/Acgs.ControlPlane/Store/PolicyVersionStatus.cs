// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;

namespace Acgs.ControlPlane.Store;

/// <summary>Lifecycle of a policy version: draft → active → retired.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PolicyVersionStatus>))]
internal enum PolicyVersionStatus
{
    /// <summary>Stored, never activated.</summary>
    [JsonStringEnumMemberName("draft")]
    Draft = 0,

    /// <summary>The policy's one active version: compiled into snapshots.</summary>
    [JsonStringEnumMemberName("active")]
    Active = 1,

    /// <summary>Was active; replaced by a later activation.</summary>
    [JsonStringEnumMemberName("retired")]
    Retired = 2,
}
