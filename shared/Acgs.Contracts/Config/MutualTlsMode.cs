// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;

namespace Acgs.Contracts.Config;

/// <summary>Mutual TLS between sidecars (policy <c>MutualTls</c>, snapshot <c>mutual_tls.mode</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MutualTlsMode>))]
public enum MutualTlsMode
{
    /// <summary>Inbound: TLS and plaintext accepted, plaintext callers are <c>unauthenticated</c>; outbound: mTLS to meshed sidecars (the default).</summary>
    [JsonStringEnumMemberName("permissive")]
    Permissive = 0,

    /// <summary>Inbound: plaintext refused; outbound: mTLS to meshed sidecars.</summary>
    [JsonStringEnumMemberName("strict")]
    Strict = 1,

    /// <summary>No mTLS: inbound TLS refused, outbound plaintext.</summary>
    [JsonStringEnumMemberName("disabled")]
    Disabled = 2,
}
