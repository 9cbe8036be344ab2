// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;
using Acgs.Contracts.Serialization;
using Acgs.Contracts.Validation;
using Acgs.Core;
using Acgs.Core.ConstitutionalHash;
using Xunit;

namespace Acgs.Contracts.Tests.Policies;

public sealed class PolicyValidatorTests
{
    private const string Hash = AcgsConstants.ConstitutionalHash;

    // A well-formed hash that is not the accepted one, built at runtime (never committed as a hash value).
    private static readonly string OtherHash = string.Concat(Enumerable.Repeat("0f", AcgsConstants.HashLength / 2));

    private static string[] Paths(ValidationResult result) => [.. result.Errors.Select(e => e.Path)];

    [Fact]
    public void Validate_Null_IsOneError()
    {
        Assert.Single(PolicyValidator.Default.Validate(null).Errors);
    }

    [Fact]
    public void Validate_EveryEnvelopeAndSpecProblem_ReportedTogether()
    {
        var policy = new PolicyDocument
        {
            Kind = "CircuitBreaker",
            Name = "Bad Name",
            Target = "",
            ConstitutionalHash = OtherHash,
            Spec = new CircuitBreakerSpec { FailMax = 0, ResetTimeoutSeconds = 0, FailureStatuses = [404] },
        };

        var result = PolicyValidator.Default.Validate(policy);

        Assert.Equal(
            ["name", "target", "constitutional_hash", "spec.fail_max", "spec.reset_timeout_seconds", "spec.failure_statuses[0]"],
            Paths(result));
    }

    [Fact]
    public void Validate_WrongHash_RefusedWithoutEchoingExpectedOrPresented()
    {
        var policy = PolicyDocument.Create("p", "mesh", new TimeoutSpec { RequestTimeoutMs = 10 }, OtherHash);

        var result = PolicyValidator.Default.Validate(policy);

        var error = Assert.Single(result.Errors);
        Assert.Equal("constitutional_hash", error.Path);
        Assert.DoesNotContain(Hash, result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Hash[..8], result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(OtherHash, result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RotationSet_AcceptsEitherHash()
    {
        var validator = new PolicyValidator(ConstitutionalHashSet.Create([Hash, OtherHash]));

        Assert.True(validator.Validate(PolicyDocument.Create("p", "mesh", new TimeoutSpec { RequestTimeoutMs = 10 }, OtherHash)).IsValid);
        Assert.True(validator.Validate(PolicyDocument.Create("p", "mesh", new TimeoutSpec { RequestTimeoutMs = 10 }, Hash)).IsValid);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("CDD01EF066BC6CF2")]
    public void Validate_MissingOrMalformedHash_Refused(string? hash)
    {
        var policy = PolicyDocument.Create("p", "mesh", new TimeoutSpec { RequestTimeoutMs = 10 }) with { ConstitutionalHash = hash };

        Assert.Equal(["constitutional_hash"], Paths(PolicyValidator.Default.Validate(policy)));
    }

    [Fact]
    public void Validate_UnknownKind_ReportsKindAndOtherErrorsButNotSpec()
    {
        var json = $$$"""{"kind":"MeshGateway","name":"","constitutional_hash":"{{{OtherHash}}}","spec":{"x":1}}""";
        var policy = JsonSerializer.Deserialize(json, AcgsJsonContext.Default.PolicyDocument);

        var result = PolicyValidator.Default.Validate(policy);

        Assert.Equal(["kind", "name", "constitutional_hash"], Paths(result));
        Assert.Contains("CircuitBreaker", result.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingKindAndSpec_Reported()
    {
        var noKind = new PolicyDocument { Name = "p", ConstitutionalHash = Hash };
        var noSpec = new PolicyDocument { Kind = "Retry", Name = "p", ConstitutionalHash = Hash };

        Assert.Equal(["kind"], Paths(PolicyValidator.Default.Validate(noKind)));
        Assert.Equal("spec: is required", Assert.Single(PolicyValidator.Default.Validate(noSpec).Messages));
    }

    [Fact]
    public void Validate_SpecOfAnotherKind_Reported()
    {
        var policy = PolicyDocument.Create("p", "mesh", new RetrySpec()) with { Kind = "Timeout" };

        Assert.Equal("spec: is a Retry spec but kind is Timeout", Assert.Single(PolicyValidator.Default.Validate(policy).Messages));
    }

    [Fact]
    public void Validate_Route_EveryProblem()
    {
        var spec = new RouteSpec { Hosts = ["ok", "bad host", ""], PathPrefix = "api", Cluster = "", Destinations = ["ftp://x", "http://10.0.0.1:80", "http://u:p@h/"] };

        var result = PolicyValidator.Default.Validate(PolicyDocument.Create("r", "svc", spec));

        Assert.Equal(["spec.hosts[1]", "spec.hosts[2]", "spec.path_prefix", "spec.cluster", "spec.destinations[0]", "spec.destinations[2]"], Paths(result));
    }

    [Fact]
    public void Validate_TimeoutAndRetry_OutOfRange()
    {
        var timeout = PolicyValidator.Default.Validate(PolicyDocument.Create("t", "svc", new TimeoutSpec()));
        var retry = PolicyValidator.Default.Validate(PolicyDocument.Create("r", "svc", new RetrySpec { Attempts = 11, PerTryTimeoutMs = -1, RetryOn = [200, 503, 600] }));

        Assert.Equal(["spec.request_timeout_ms"], Paths(timeout));
        Assert.Equal(["spec.attempts", "spec.per_try_timeout_ms", "spec.retry_on[0]", "spec.retry_on[2]"], Paths(retry));
    }

    [Fact]
    public void Validate_HashPolicy_EveryProblem()
    {
        var empty = PolicyValidator.Default.Validate(PolicyDocument.Create("h", "svc", new HashPolicySpec()));
        var bad = PolicyValidator.Default.Validate(PolicyDocument.Create("h", "svc", new HashPolicySpec
        {
            AcceptedHashes = [Hash, "nothex", Hash],
            Mode = (HashMode)9,
            ExemptPaths = ["/ok", "nope"],
        }));

        Assert.Equal(["spec.accepted_hashes"], Paths(empty));
        Assert.Equal(["spec.accepted_hashes[1]", "spec.accepted_hashes[2]", "spec.mode", "spec.exempt_paths[1]"], Paths(bad));
        Assert.DoesNotContain(Hash, bad.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FaultInjection_LimitsAndBoundaries()
    {
        var atLimits = new FaultInjectionSpec { DelayMs = FaultInjectionSpec.MaxDelayMs, DurationSeconds = FaultInjectionSpec.MaxDurationSeconds, Percentage = 100 };
        var overLimits = new FaultInjectionSpec { DelayMs = 5_001, AbortStatus = 200, Percentage = 100.5, DurationSeconds = 301, Route = "x" };
        var nothing = new FaultInjectionSpec { Percentage = 0, DurationSeconds = 1 };

        Assert.True(PolicyValidator.Default.Validate(PolicyDocument.Create("f", "svc", atLimits)).IsValid);
        Assert.Equal(
            ["spec.delay_ms", "spec.abort_status", "spec.percentage", "spec.duration_seconds", "spec.route"],
            Paths(PolicyValidator.Default.Validate(PolicyDocument.Create("f", "svc", overLimits))));
        Assert.Equal(["spec"], Paths(PolicyValidator.Default.Validate(PolicyDocument.Create("f", "svc", nothing))));
    }

    [Fact]
    public void Validate_TrafficSplit_WeightsAndTarget()
    {
        var badSum = new TrafficSplitSpec { BlueCluster = "b", GreenCluster = "g", BlueWeight = 60, GreenWeight = 30 };
        var same = new TrafficSplitSpec { BlueCluster = "b", GreenCluster = "b", BlueWeight = 101, GreenWeight = 0 };

        Assert.Equal(
            "spec: blue_weight and green_weight must sum to 100, got 90",
            Assert.Single(PolicyValidator.Default.Validate(PolicyDocument.Create("s", "api", badSum)).Messages));
        Assert.Equal(
            ["target", "spec.green_cluster", "spec.blue_weight"],
            Paths(PolicyValidator.Default.Validate(PolicyDocument.Create("s", "mesh", same))));
        Assert.True(PolicyValidator.Default.Validate(PolicyDocument.Create("s", "api", badSum with { GreenWeight = 40 })).IsValid);
    }

    [Fact]
    public void PolicyKinds_NamesMatchEnum()
    {
        foreach (var kind in Enum.GetValues<PolicyKind>())
        {
            Assert.Equal(kind.ToString(), PolicyKinds.ToName(kind));
            Assert.True(PolicyKinds.TryParse(kind.ToString(), out var parsed));
            Assert.Equal(kind, parsed);
        }

        Assert.False(PolicyKinds.TryParse("route", out _));
    }
}
