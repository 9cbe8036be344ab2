// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;
using Acgs.Contracts.Serialization;
using Xunit;

namespace Acgs.Contracts.Tests.Tracing;

/// <summary>The Tracing policy's JSON and validation, and the snapshot's <c>tracing</c>.</summary>
public sealed class TracingSpecTests
{
    private static PolicyDocument Parse(string json) => JsonSerializer.Deserialize(json, AcgsJsonContext.Default.PolicyDocument)!;

    [Fact]
    public void Parse_FullPolicy_TypedSpecValid()
    {
        var policy = Parse("""
            {"kind":"Tracing","name":"ledger-traces","target":"audit-ledger","constitutional_hash":"cdd01ef066bc6cf2","spec":{"sampling_ratio":0.05}}
            """);

        var spec = Assert.IsType<TracingSpec>(policy.Spec);
        Assert.True(PolicyValidator.Default.Validate(policy).IsValid);
        Assert.Equal(0.05, spec.SamplingRatio);
    }

    [Fact]
    public void Parse_UnknownField_Refused()
    {
        Assert.Throws<JsonException>(() => Parse("""
            {"kind":"Tracing","name":"t","target":"mesh","constitutional_hash":"cdd01ef066bc6cf2","spec":{"sampling_ratio":1,"sampler":"always_on"}}
            """));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void Validate_Bounds_Valid(double ratio)
    {
        Assert.True(PolicyValidator.Default.Validate(PolicyDocument.Create("t", "mesh", new TracingSpec(ratio))).IsValid);
    }

    [Theory]
    [InlineData(-0.01, "spec.sampling_ratio: must be a number from 0 to 1 (the share of new traces recorded), got -0.01")]
    [InlineData(1.5, "spec.sampling_ratio: must be a number from 0 to 1 (the share of new traces recorded), got 1.5")]
    [InlineData(double.NaN, "spec.sampling_ratio: must be a number from 0 to 1 (the share of new traces recorded), got NaN")]
    [InlineData(null, "spec.sampling_ratio: is required: a number from 0 to 1 (the share of new traces recorded)")]
    public void Validate_BadRatio_OneProblemWithItsPath(double? ratio, string expected)
    {
        var errors = PolicyValidator.Default.Validate(PolicyDocument.Create("t", "mesh", new TracingSpec(ratio))).Errors.Select(e => e.ToString()).ToArray();

        Assert.Equal([expected], errors);
    }

    [Fact]
    public void ValidateSnapshot_RatioOutOfRange_Refused()
    {
        var snapshot = new ConfigSnapshot { ServiceName = "svc", Version = "v1", Tracing = new TracingConfig { Name = "t", SamplingRatio = 2 } };

        var errors = ConfigSnapshotValidator.Validate(snapshot);

        Assert.Equal(["tracing.sampling_ratio: must be a number from 0 to 1 (the share of new traces recorded), got 2"], errors.ToArray());
    }

    [Fact]
    public void Snapshot_Tracing_RoundTripsSnakeCase()
    {
        var snapshot = new ConfigSnapshot { ServiceName = "svc", Version = "v1", Tracing = new TracingConfig { Name = "t", SamplingRatio = 0.25 } };

        var json = JsonSerializer.Serialize(snapshot, ConfigSnapshotJsonContext.Default.ConfigSnapshot);
        var back = JsonSerializer.Deserialize(json, ConfigSnapshotJsonContext.Default.ConfigSnapshot)!;

        Assert.Contains("\"sampling_ratio\": 0.25", json, StringComparison.Ordinal);
        Assert.Equal(snapshot.Tracing, back.Tracing);
    }
}
