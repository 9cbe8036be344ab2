// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Acgs.Contracts.Identity;

/// <summary>Source-generated JSON metadata of the identity wire contracts (snake_case, nulls omitted, unknown keys refused).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(CsrRequest))]
[JsonSerializable(typeof(CsrResponse))]
[JsonSerializable(typeof(JoinTokenRequest))]
[JsonSerializable(typeof(JoinTokenResponse))]
[JsonSerializable(typeof(JoinTokenList))]
[JsonSerializable(typeof(TrustBundleView))]
public sealed partial class IdentityJsonContext : JsonSerializerContext;
