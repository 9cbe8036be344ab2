// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Text;
using Acgs.Contracts.Config;
using Acgs.Core;
using Xunit;

namespace Acgs.Contracts.Tests.Config;

public sealed class ConfigSnapshotValidatorTests
{
    private static ConfigSnapshot Valid() => new()
    {
        Version = "v1",
        ServiceName = "policy-registry",
        Clusters = ImmutableDictionary<string, ClusterConfig>.Empty.Add("audit-ledger", new ClusterConfig
        {
            Destinations = ["10.0.0.5:15006", "http://audit-ledger.mesh.svc:15006"],
            Breaker = new BreakerSettings { FailMax = 7, ResetTimeoutSeconds = 60 },
            TimeoutSeconds = 5,
            Retry = new RetryPolicy { MaxAttempts = 3 },
        }),
        Routes = [new OutboundRoute { Host = "audit-ledger", Cluster = "audit-ledger" }, new OutboundRoute { Host = "*.ledger.example:8080", Cluster = "audit-ledger" }],
        HashPolicy = new HashPolicy { Mode = HashMode.Audit, ExemptPathPrefixes = ["/healthz"] },
    };

    [Fact]
    public void Validate_ValidSnapshot_NoErrors() => Assert.Empty(ConfigSnapshotValidator.Validate(Valid()));

    [Fact]
    public void Validate_Null_OneError() => Assert.Single(ConfigSnapshotValidator.Validate(null));

    [Fact]
    public void Validate_ManyProblems_ReportsEveryOne()
    {
        var bad = Valid() with
        {
            Version = "",
            ServiceName = "Upper Case",
            ConstitutionalHash = "XYZ",
            Clusters = ImmutableDictionary<string, ClusterConfig>.Empty
                .Add("inbound|x", new ClusterConfig { Destinations = ["ftp://nope"], Breaker = new BreakerSettings { FailMax = 0, ResetTimeoutSeconds = -1 }, TimeoutSeconds = 0 })
                .Add("ok", new ClusterConfig { Destinations = [], FailureStatuses = [42], Retry = new RetryPolicy { MaxAttempts = 11 } }),
            Routes = [new OutboundRoute { Host = "bad host", Cluster = "missing" }, new OutboundRoute { Host = "a", Cluster = "ok" }, new OutboundRoute { Host = "A", Cluster = "ok" }],
            HashPolicy = new HashPolicy { AcceptedHashes = ["short"], Mode = (HashMode)9, ExemptPathPrefixes = ["/", "x"] },
        };

        var errors = ConfigSnapshotValidator.Validate(bad);

        string[] expectedPrefixes =
        [
            "version:", "service_name:", "constitutional_hash:", "hash_policy.accepted_hashes:", "hash_policy.mode:",
            "hash_policy.exempt_path_prefixes[0]:", "hash_policy.exempt_path_prefixes[1]:",
            "clusters.inbound|x: cluster name", "clusters.inbound|x.destinations[0]:", "clusters.inbound|x.breaker.fail_max:",
            "clusters.inbound|x.breaker.reset_timeout_seconds:", "clusters.inbound|x.timeout_seconds:",
            "clusters.ok.destinations:", "clusters.ok.failure_statuses:", "clusters.ok.retry.max_attempts:",
            "routes[0].host:", "routes[0].cluster:", "routes[2].host:",
        ];
        foreach (var prefix in expectedPrefixes)
        {
            Assert.Contains(errors, e => e.StartsWith(prefix, StringComparison.Ordinal));
        }

        Assert.Equal(expectedPrefixes.Length, errors.Count);
    }

    [Fact]
    public void Validate_HashNotInAcceptedSet_IsError()
    {
        var other = new string('e', AcgsConstants.HashLength);
        var snapshot = Valid() with { HashPolicy = new HashPolicy { AcceptedHashes = [other] } };

        var errors = ConfigSnapshotValidator.Validate(snapshot);

        Assert.Equal("constitutional_hash: is not one of hash_policy.accepted_hashes", Assert.Single(errors));
    }

    [Fact]
    public void Validate_ErrorsNeverEchoAcceptedHashes()
    {
        var other = new string('e', AcgsConstants.HashLength);
        var snapshot = Valid() with { HashPolicy = new HashPolicy { AcceptedHashes = [other, "bad"] } };

        foreach (var error in ConfigSnapshotValidator.Validate(snapshot))
        {
            Assert.DoesNotContain(other, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Json_RoundTrip_KeepsEverything()
    {
        var snapshot = Valid();

        var json = ConfigSnapshotJson.Serialize(snapshot);
        Assert.True(ConfigSnapshotJson.TryParse(Encoding.UTF8.GetBytes(json), out var parsed, out var error), error);

        Assert.Contains("\"constitutional_hash\": \"" + AcgsConstants.ConstitutionalHash + "\"", json, StringComparison.Ordinal);
        Assert.Contains("\"mode\": \"audit\"", json, StringComparison.Ordinal);
        Assert.Equal(json, ConfigSnapshotJson.Serialize(parsed!));
        Assert.Empty(ConfigSnapshotValidator.Validate(parsed));
    }

    [Fact]
    public void Json_OmittedMembers_TakeDefaults()
    {
        var json = """{ "constitutional_hash": "cdd01ef066bc6cf2", "version": "v", "service_name": "s", "clusters": { "c": { "destinations": ["h:1"], "breaker": { "fail_max": 2 } } } }"""u8;

        Assert.True(ConfigSnapshotJson.TryParse(json, out var snapshot, out _));

        Assert.Empty(ConfigSnapshotValidator.Validate(snapshot));
        Assert.Equal(HashMode.Enforce, snapshot!.HashPolicy.Mode);
        Assert.Empty(snapshot.Routes);
        Assert.Equal(TimeSpan.FromSeconds(30), snapshot.Clusters["c"].Breaker!.ToOptions(Core.CircuitBreaker.CircuitBreakerOptions.Default).ResetTimeout);
        Assert.Equal(2, snapshot.Clusters["c"].Breaker!.ToOptions(Core.CircuitBreaker.CircuitBreakerOptions.Default).FailMax);
    }

    [Fact]
    public void Json_UnknownKeyOrBadEnum_IsParseError()
    {
        Assert.False(ConfigSnapshotJson.TryParse("""{ "version": "v", "surprise": 1 }"""u8, out _, out var unknown));
        Assert.False(ConfigSnapshotJson.TryParse("""{ "version": "v", "hash_policy": { "mode": "maybe" } }"""u8, out _, out var badEnum));

        Assert.Contains("surprise", unknown, StringComparison.Ordinal);
        Assert.Contains("hash_policy", badEnum, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.1:80", true)]
    [InlineData("http://svc:15006", true)]
    [InlineData("https://[::1]:443", true)]
    [InlineData("ftp://svc:21", false)]
    [InlineData("http://svc:80/?q=1", false)]
    [InlineData(" svc:80", false)]
    [InlineData("", false)]
    public void TryParseDestination_Cases(string value, bool valid) =>
        Assert.Equal(valid, ConfigSnapshotValidator.TryParseDestination(value, out _));
}
