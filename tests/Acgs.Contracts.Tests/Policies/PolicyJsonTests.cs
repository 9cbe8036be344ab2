// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;
using Acgs.Contracts.Serialization;
using Acgs.Core;
using Xunit;

namespace Acgs.Contracts.Tests.Policies;

public sealed class PolicyJsonTests
{
    private const string Hash = AcgsConstants.ConstitutionalHash;

    public static TheoryData<PolicySpec, string[]> Specs => new()
    {
        { new RouteSpec { Hosts = ["audit-ledger", "audit-ledger:8080"], PathPrefix = "/api", Cluster = "audit-ledger", Destinations = ["http://10.0.0.5:15006"] }, ["hosts", "path_prefix", "cluster", "destinations"] },
        { new CircuitBreakerSpec { FailMax = 7, ResetTimeoutSeconds = 60, FailureStatuses = [500, 503] }, ["fail_max", "reset_timeout_seconds", "failure_statuses"] },
        { new TimeoutSpec { RequestTimeoutMs = 1500 }, ["request_timeout_ms"] },
        { new RetrySpec { Attempts = 3, PerTryTimeoutMs = 200, RetryOn = [503], IdempotentOnly = false }, ["attempts", "per_try_timeout_ms", "retry_on", "idempotent_only"] },
        { new HashPolicySpec { AcceptedHashes = [Hash], Mode = HashMode.Audit, ExemptPaths = ["/public"] }, ["accepted_hashes", "mode", "exempt_paths"] },
        { new FaultInjectionSpec { DelayMs = 250, AbortStatus = 503, Percentage = 12.5, DurationSeconds = 120, Route = "/slow", ForceOpenBreaker = true }, ["delay_ms", "abort_status", "percentage", "duration_seconds", "route", "force_open_breaker"] },
        { new TrafficSplitSpec { BlueCluster = "api-blue", BlueWeight = 90, GreenCluster = "api-green", GreenWeight = 10 }, ["blue_cluster", "blue_weight", "green_cluster", "green_weight"] },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void RoundTrip_EveryKind_UsesSnakeCaseAndKeepsValues(PolicySpec spec, string[] specFields)
    {
        var policy = PolicyDocument.Create("p-1", "audit-ledger", spec);

        var json = JsonSerializer.Serialize(policy, AcgsJsonContext.Default.PolicyDocument);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        Assert.Equal(PolicyKinds.ToName(spec.Kind), root.GetProperty("kind").GetString());
        Assert.Equal("p-1", root.GetProperty("name").GetString());
        Assert.Equal("audit-ledger", root.GetProperty("target").GetString());
        Assert.Equal(Hash, root.GetProperty("constitutional_hash").GetString());
        Assert.Equal(specFields.Order(), root.GetProperty("spec").EnumerateObject().Select(p => p.Name).Order());

        var back = JsonSerializer.Deserialize(json, AcgsJsonContext.Default.PolicyDocument);
        Assert.NotNull(back);
        Assert.Equal(spec.GetType(), back.Spec!.GetType());
        Assert.Equal(json, JsonSerializer.Serialize(back, AcgsJsonContext.Default.PolicyDocument));
        Assert.True(PolicyValidator.Default.Validate(back).IsValid, PolicyValidator.Default.Validate(back).ToString());
    }

    [Fact]
    public void Read_EmptySpecs_KeepDeclaredDefaults()
    {
        // Source-generated JSON must not overwrite defaults of absent properties.
        Assert.Equal(new CircuitBreakerSpec(), Spec<CircuitBreakerSpec>("CircuitBreaker"));
        Assert.Equal(5, Spec<CircuitBreakerSpec>("CircuitBreaker").FailMax);
        var retry = Spec<RetrySpec>("Retry");
        Assert.Equal(2, retry.Attempts);
        Assert.True(retry.IdempotentOnly);
        Assert.Equal<int>([502, 503, 504], retry.RetryOn);
        var fault = Spec<FaultInjectionSpec>("FaultInjection");
        Assert.Equal(100, fault.Percentage);
        Assert.Equal(60, fault.DurationSeconds);
        Assert.Equal(100, Spec<TrafficSplitSpec>("TrafficSplit").BlueWeight);
        Assert.Equal("/", Spec<RouteSpec>("Route").PathPrefix);
        Assert.Empty(Spec<RouteSpec>("Route").Hosts);
        Assert.Equal(HashMode.Enforce, Spec<HashPolicySpec>("HashPolicy").Mode);
        Assert.Empty(Spec<HashPolicySpec>("HashPolicy").AcceptedHashes);
    }

    private static T Spec<T>(string kind)
        where T : PolicySpec
    {
        var json = $$$"""{"kind":"{{{kind}}}","name":"n","spec":{}}""";
        return Assert.IsType<T>(JsonSerializer.Deserialize(json, AcgsJsonContext.Default.PolicyDocument)!.Spec);
    }

    [Fact]
    public void Read_SpecBeforeKind_IsTyped()
    {
        var json = $$"""{"spec":{"fail_max":3,"reset_timeout_seconds":15},"constitutional_hash":"{{Hash}}","target":"opa-client","name":"opa","kind":"CircuitBreaker"}""";

        var policy = JsonSerializer.Deserialize(json, AcgsJsonContext.Default.PolicyDocument)!;

        var spec = Assert.IsType<CircuitBreakerSpec>(policy.Spec);
        Assert.Equal(3, spec.FailMax);
        Assert.Equal(TimeSpan.FromSeconds(15), spec.ToOptions().ResetTimeout);
        Assert.False(policy.IsMeshWide);
    }

    [Fact]
    public void Read_MissingTarget_DefaultsToMesh()
    {
        var json = $$$"""{"kind":"Timeout","name":"t","constitutional_hash":"{{{Hash}}}","spec":{"request_timeout_ms":100}}""";

        var policy = JsonSerializer.Deserialize(json, AcgsJsonContext.Default.PolicyDocument)!;

        Assert.True(policy.IsMeshWide);
        Assert.True(PolicyValidator.Default.Validate(policy).IsValid);
    }

    [Fact]
    public void Read_UnknownKind_KeepsKindAndNoSpec()
    {
        var json = $$$"""{"kind":"MeshGateway","name":"g","constitutional_hash":"{{{Hash}}}","spec":{"anything":1}}""";

        var policy = JsonSerializer.Deserialize(json, AcgsJsonContext.Default.PolicyDocument)!;

        Assert.Equal("MeshGateway", policy.Kind);
        Assert.Null(policy.Spec);
    }

    [Theory]
    [InlineData("""{"kind":"Timeout","name":"t","spec":{"request_timeout_ms":1},"extra":1}""")]
    [InlineData("""{"kind":"Timeout","name":"t","spec":{"request_timeout_ms":1,"timeout":2}}""")]
    [InlineData("""{"kind":"Timeout","name":"t","spec":{"request_timeout_ms":"soon"}}""")]
    [InlineData("""{"kind":"Timeout","name":"t","spec":[1]}""")]
    [InlineData("""{"kind":7,"name":"t"}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"kind":"HashPolicy","name":"h","spec":{"accepted_hashes":[],"mode":"strict"}}""")]
    public void Read_MalformedDocument_Throws(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, AcgsJsonContext.Default.PolicyDocument));
    }

    [Fact]
    public void Read_SpecError_NamesTheSpecPath()
    {
        var ex = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(
            """{"kind":"Retry","name":"r","spec":{"attempts":"three"}}""", AcgsJsonContext.Default.PolicyDocument));

        Assert.Contains("spec.attempts", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_HashModeAndNullAbort_UseLowercaseAndOmitNulls()
    {
        var json = JsonSerializer.Serialize(
            PolicyDocument.Create("f", "svc", new FaultInjectionSpec { DelayMs = 10 }),
            AcgsJsonContext.Default.PolicyDocument);
        var hashJson = JsonSerializer.Serialize(
            PolicyDocument.Create("h", "svc", new HashPolicySpec { AcceptedHashes = [Hash], Mode = HashMode.Off }),
            AcgsJsonContext.Default.PolicyDocument);

        Assert.DoesNotContain("abort_status", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"route\"", json, StringComparison.Ordinal);
        Assert.Contains("\"mode\":\"off\"", hashJson, StringComparison.Ordinal);
    }
}
