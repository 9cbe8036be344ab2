// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Acgs.Contracts.Injection;

/// <summary>Source-generated JSON of <c>ACGS_APP_PROBES</c>: admin path → <see cref="AppProbeTarget"/> (snake_case, unknown keys refused).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(Dictionary<string, AppProbeTarget>))]
public sealed partial class AppProbeJsonContext : JsonSerializerContext;
