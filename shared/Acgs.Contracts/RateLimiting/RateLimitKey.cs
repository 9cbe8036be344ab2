// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;

namespace Acgs.Contracts.RateLimiting;

/// <summary>What one token bucket of a <c>RateLimit</c> policy counts (JSON <c>per</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RateLimitKey>))]
public enum RateLimitKey
{
    /// <summary>One bucket for every caller of the service (default).</summary>
    [JsonStringEnumMemberName("service")]
    Service = 0,

    /// <summary>One bucket per caller identity (its mTLS SPIFFE ID, or one for every plaintext caller).</summary>
    [JsonStringEnumMemberName("caller")]
    Caller = 1,

    /// <summary>One bucket per tenant (the <c>x-acgs-tenant</c> request header; one for requests without it).</summary>
    [JsonStringEnumMemberName("tenant")]
    Tenant = 2,
}
