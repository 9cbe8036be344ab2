// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using System.Text.Json.Serialization;
using Acgs.Contracts.Bus;
using Acgs.Contracts.Discovery;
using Acgs.Contracts.Health;
using Acgs.Contracts.Policies;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Serialization;

/// <summary>
/// Source-generated (AOT-friendly) JSON metadata for the policy and bus contracts and the wire contracts between the
/// planes (health report, bus agent report, snapshot ACK/NACK): snake_case names, nulls omitted. Policies refuse unknown
/// properties; bus messages and the sidecars' reports ignore them (a newer sidecar may add fields).
/// Use e.g. <c>JsonSerializer.Serialize(policy, AcgsJsonContext.Default.PolicyDocument)</c>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(PolicyDocument))]
[JsonSerializable(typeof(RouteSpec))]
[JsonSerializable(typeof(CircuitBreakerSpec))]
[JsonSerializable(typeof(TimeoutSpec))]
[JsonSerializable(typeof(RetrySpec))]
[JsonSerializable(typeof(HashPolicySpec))]
[JsonSerializable(typeof(FaultInjectionSpec))]
[JsonSerializable(typeof(TrafficSplitSpec))]
[JsonSerializable(typeof(MutualTlsSpec))]
[JsonSerializable(typeof(AuthorizationSpec))]
[JsonSerializable(typeof(RateLimitSpec))]
[JsonSerializable(typeof(TracingSpec))]
[JsonSerializable(typeof(EgressSpec))]
[JsonSerializable(typeof(Acgs.Contracts.Metering.MeteringBatch))]
[JsonSerializable(typeof(Acgs.Contracts.Metering.MeteringWindow))]
[JsonSerializable(typeof(Acgs.Contracts.Metering.MeteringAnswer))]
[JsonSerializable(typeof(List<Acgs.Contracts.Metering.MeteringTopCaller>))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(BusAgentReport))]
[JsonSerializable(typeof(SnapshotAck))]
[JsonSerializable(typeof(BusMessage))]
[JsonSerializable(typeof(ValidationError))]
[JsonSerializable(typeof(IReadOnlyList<ValidationError>))]
public sealed partial class AcgsJsonContext : JsonSerializerContext;
