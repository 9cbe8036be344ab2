// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;
using Acgs.Contracts.RateLimiting;
using Acgs.Contracts.Serialization;
using Xunit;

namespace Acgs.Contracts.Tests.RateLimiting;

/// <summary>The RateLimit policy's JSON and validation, and the snapshot's <c>rate_limit</c>.</summary>
public sealed class RateLimitSpecTests
{
    private static PolicyDocument Parse(string json) => JsonSerializer.Deserialize(json, AcgsJsonContext.Default.PolicyDocument)!;

    [Fact]
    public void Parse_FullPolicy_TypedSpecValid()
    {
        var policy = Parse("""
            {"kind":"RateLimit","name":"ledger-limit","target":"audit-ledger","constitutional_hash":"cdd01ef066bc6cf2",
             "spec":{"requests_per_second":2.5,"burst":10,"per":"tenant"}}
            """);

        var spec = Assert.IsType<RateLimitSpec>(policy.Spec);
        Assert.True(PolicyValidator.Default.Validate(policy).IsValid);
        Assert.Equal(2.5, spec.RequestsPerSecond);
        Assert.Equal(10, spec.Burst);
        Assert.Equal(RateLimitKey.Tenant, spec.Per);
    }

    [Fact]
    public void Parse_UnknownField_Refused()
    {
        Assert.Throws<JsonException>(() => Parse("""
            {"kind":"RateLimit","name":"l","target":"a","constitutional_hash":"cdd01ef066bc6cf2","spec":{"requests_per_second":1,"rps":2}}
            """));
    }

    [Fact]
    public void Validate_BadValues_EveryProblemWithItsPath()
    {
        var policy = PolicyDocument.Create("l", "audit-ledger", new RateLimitSpec(RequestsPerSecond: 0, Burst: -1, Per: (RateLimitKey)7));

        var errors = PolicyValidator.Default.Validate(policy).Errors.Select(e => e.ToString()).ToArray();

        Assert.Equal(3, errors.Length);
        Assert.Contains(errors, e => e.StartsWith("spec.requests_per_second: must be between 0.001 and 1000000", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("spec.burst: must be between 1 and 1000000, got -1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("spec.per: must be service, caller or tenant", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_BurstLeftOut_ValidAndDefaultIsOneSecond()
    {
        var policy = PolicyDocument.Create("l", "mesh", new RateLimitSpec(RequestsPerSecond: 2.5));

        Assert.True(PolicyValidator.Default.Validate(policy).IsValid);
        Assert.Equal(3, RateLimits.DefaultBurst(2.5));
        Assert.Equal(1, RateLimits.DefaultBurst(0.01));
    }

    [Fact]
    public void ValidateSnapshot_RateLimitWithoutBurst_Refused()
    {
        var snapshot = new ConfigSnapshot { ServiceName = "svc", Version = "v1", RateLimit = new RateLimitConfig { Name = "l", RequestsPerSecond = 1, Burst = 0 } };

        var errors = ConfigSnapshotValidator.Validate(snapshot);

        Assert.Equal(["rate_limit.burst: must be between 1 and 1000000, got 0"], errors.ToArray());
    }

    [Fact]
    public void Snapshot_RateLimit_RoundTripsSnakeCase()
    {
        var snapshot = new ConfigSnapshot { ServiceName = "svc", Version = "v1", RateLimit = new RateLimitConfig { Name = "l", RequestsPerSecond = 5, Burst = 7, Per = RateLimitKey.Caller } };

        var json = JsonSerializer.Serialize(snapshot, ConfigSnapshotJsonContext.Default.ConfigSnapshot);
        var back = JsonSerializer.Deserialize(json, ConfigSnapshotJsonContext.Default.ConfigSnapshot)!;

        Assert.Contains("\"rate_limit\"", json, StringComparison.Ordinal);
        Assert.Contains("\"requests_per_second\": 5", json, StringComparison.Ordinal);
        Assert.Contains("\"per\": \"caller\"", json, StringComparison.Ordinal);
        Assert.Equal(snapshot.RateLimit, back.RateLimit);
    }
}
