// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;

namespace Acgs.Contracts.Authorization;

/// <summary>What an <c>Authorization</c> policy's rules do to the requests they match, or the mesh's default.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AuthorizationAction>))]
public enum AuthorizationAction
{
    /// <summary>Matching requests are allowed; once any allow rule applies to a service, requests matching none are denied.</summary>
    [JsonStringEnumMemberName("allow")]
    Allow = 0,

    /// <summary>Matching requests are denied (deny rules are evaluated first).</summary>
    [JsonStringEnumMemberName("deny")]
    Deny = 1,
}
