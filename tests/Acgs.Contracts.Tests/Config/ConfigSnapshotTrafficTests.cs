// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Text;
using Acgs.Contracts.Config;
using Xunit;

namespace Acgs.Contracts.Tests.Config;

/// <summary>Path-prefix routes, traffic splits, fault rules and the agent directory of the config snapshot.</summary>
public sealed class ConfigSnapshotTrafficTests
{
    private static ConfigSnapshot Valid() => new()
    {
        Version = "v7",
        ServiceName = "policy-registry",
        Clusters = ImmutableDictionary<string, ClusterConfig>.Empty
            .Add("orders-blue", new ClusterConfig { Destinations = ["10.0.0.5:15006"] })
            .Add("orders-green", new ClusterConfig { Destinations = ["10.0.0.6:15006"] }),
        Routes =
        [
            new OutboundRoute
            {
                Host = "orders",
                Cluster = "orders-blue",
                WeightedClusters = [new WeightedCluster { Cluster = "orders-blue", Weight = 90 }, new WeightedCluster { Cluster = "orders-green", Weight = 10 }],
            },
            new OutboundRoute { Host = "orders", PathPrefix = "/v2", Cluster = "orders-green" },
        ],
        FaultRules =
        [
            new FaultRule { Name = "chaos-1", Cluster = "orders-blue", PathPrefix = "/api", Delay = new FaultDelay { Percentage = 10, FixedDelayMs = 200 } },
            new FaultRule { Inbound = true, Abort = new FaultAbort { Percentage = 5.5, HttpStatus = 503 }, ExpiresAt = new DateTimeOffset(2026, 11, 26, 22, 0, 0, TimeSpan.Zero) },
        ],
        AgentDirectory = ImmutableDictionary<string, string>.Empty.Add("agent-a", "10.0.0.5:8080").Add("agent-b", "[::1]:8080"),
    };

    [Fact]
    public void Validate_ValidSnapshot_NoErrors() => Assert.Empty(ConfigSnapshotValidator.Validate(Valid()));

    [Fact]
    public void Validate_BadTrafficFields_ReportsEveryOne()
    {
        var bad = Valid() with
        {
            Routes =
            [
                new OutboundRoute
                {
                    Host = "orders",
                    Cluster = "other",
                    PathPrefix = "api",
                    WeightedClusters =
                    [
                        new WeightedCluster { Cluster = "orders-blue", Weight = 0 },
                        new WeightedCluster { Cluster = "orders-blue", Weight = 0 },
                        new WeightedCluster { Cluster = "nope", Weight = -1 },
                    ],
                },
                new OutboundRoute { Host = "x", PathPrefix = "/a", Cluster = "orders-blue" },
                new OutboundRoute { Host = "X", PathPrefix = "/A/", Cluster = "orders-blue" },
            ],
            FaultRules =
            [
                new FaultRule { Inbound = true, Cluster = "orders-blue", Delay = new FaultDelay { Percentage = 101, FixedDelayMs = 5001 } },
                new FaultRule { Abort = new FaultAbort { Percentage = double.NaN, HttpStatus = 200 } },
                new FaultRule { Cluster = "ghost", PathPrefix = "no-slash" },
            ],
            AgentDirectory = ImmutableDictionary<string, string>.Empty.Add("a", "host-name:8080").Add("b", "10.0.0.1").Add(new string('z', 129), "10.0.0.1:0"),
        };

        var errors = ConfigSnapshotValidator.Validate(bad);

        string[] expected =
        [
            "routes[0].path_prefix:", "routes[0].cluster: 'other' is not defined", "routes[0].weighted_clusters[1].cluster: 'orders-blue' appears more than once",
            "routes[0].weighted_clusters[2].cluster: 'nope' is not defined", "routes[0].weighted_clusters[2].weight:",
            "routes[0].weighted_clusters: the weights must not all be 0", "routes[0].cluster: 'other' must be one of weighted_clusters",
            "routes[2]: host 'X' with path_prefix '/A/' is routed more than once",
            "fault_rules[0]: exactly one of", "fault_rules[0].delay.percentage:", "fault_rules[0].delay.fixed_delay_ms:",
            "fault_rules[1]: exactly one of", "fault_rules[1].abort.percentage:", "fault_rules[1].abort.http_status:",
            "fault_rules[2].cluster: 'ghost' is not defined", "fault_rules[2].path_prefix:", "fault_rules[2]: must inject something",
            "agent_directory.a:", "agent_directory.b:", "agent_directory.zzzz",
        ];
        foreach (var prefix in expected)
        {
            Assert.Contains(errors, e => e.StartsWith(prefix, StringComparison.Ordinal));
        }

        Assert.Equal(expected.Length + 1, errors.Count); // + the agent id length error and its address error share the prefix
    }

    [Fact]
    public void Validate_ForceOpenRuleOnCluster_NoErrors()
    {
        var snapshot = Valid() with
        {
            FaultRules = [new FaultRule { Name = "open-blue", Cluster = "orders-blue", ForceOpenBreaker = true, ExpiresAt = new DateTimeOffset(2026, 11, 26, 22, 0, 0, TimeSpan.Zero) }],
        };

        Assert.Empty(ConfigSnapshotValidator.Validate(snapshot));
    }

    [Fact]
    public void Validate_BadForceOpenRules_ReportsEveryOne()
    {
        var bad = Valid() with
        {
            FaultRules =
            [
                new FaultRule { Inbound = true, ForceOpenBreaker = true },
                new FaultRule { Cluster = "orders-blue", ForceOpenBreaker = true, Delay = new FaultDelay { FixedDelayMs = 10 } },
                new FaultRule { Cluster = "orders-blue", ForceOpenBreaker = true, PathPrefix = "/api" },
                new FaultRule { Cluster = "orders-blue", ForceOpenBreaker = true, Abort = new FaultAbort { HttpStatus = 503 } },
                new FaultRule { Cluster = "ghost", ForceOpenBreaker = true },
            ],
        };

        var errors = ConfigSnapshotValidator.Validate(bad);

        string[] expected =
        [
            "fault_rules[0].force_open_breaker: needs a cluster",
            "fault_rules[1].force_open_breaker: a force-open rule has no delay",
            "fault_rules[2].force_open_breaker: a force-open rule has no delay",
            "fault_rules[3].force_open_breaker: a force-open rule has no delay",
            "fault_rules[4].cluster: 'ghost' is not defined",
        ];
        foreach (var prefix in expected)
        {
            Assert.Contains(errors, e => e.StartsWith(prefix, StringComparison.Ordinal));
        }

        Assert.Equal(expected.Length, errors.Count);
    }

    [Fact]
    public void Json_ForceOpenBreaker_SnakeCaseRoundTrip()
    {
        var snapshot = Valid() with { FaultRules = [new FaultRule { Cluster = "orders-green", ForceOpenBreaker = true }] };

        var json = ConfigSnapshotJson.Serialize(snapshot);

        Assert.Contains("\"force_open_breaker\": true", json, StringComparison.Ordinal);
        Assert.True(ConfigSnapshotJson.TryParse(Encoding.UTF8.GetBytes(json), out var parsed, out var error), error);
        Assert.True(Assert.Single(parsed!.FaultRules).ForceOpenBreaker);
        Assert.DoesNotContain("force_open_breaker", ConfigSnapshotJson.Serialize(Valid()), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SameHostDifferentPrefixes_Allowed()
    {
        var snapshot = Valid() with
        {
            Routes =
            [
                new OutboundRoute { Host = "orders", Cluster = "orders-blue" },
                new OutboundRoute { Host = "orders", PathPrefix = "/", Cluster = "orders-blue" },
            ],
        };

        Assert.Contains(ConfigSnapshotValidator.Validate(snapshot), e => e.StartsWith("routes[1].host: 'orders' is routed more than once", StringComparison.Ordinal));
        Assert.Empty(ConfigSnapshotValidator.Validate(snapshot with { Routes = [snapshot.Routes[0], snapshot.Routes[1] with { PathPrefix = "/v1" }] }));
    }

    [Fact]
    public void Json_RoundTrip_SnakeCaseKeysAndSameSnapshot()
    {
        var json = ConfigSnapshotJson.Serialize(Valid());

        Assert.True(ConfigSnapshotJson.TryParse(Encoding.UTF8.GetBytes(json), out var parsed, out var error), error);
        foreach (var key in new[] { "\"weighted_clusters\"", "\"path_prefix\"", "\"fault_rules\"", "\"fixed_delay_ms\"", "\"http_status\"", "\"expires_at\"", "\"agent_directory\"", "\"inbound\": true" })
        {
            Assert.Contains(key, json, StringComparison.Ordinal);
        }

        Assert.Equal(json, ConfigSnapshotJson.Serialize(parsed!));
        Assert.Empty(ConfigSnapshotValidator.Validate(parsed));
        Assert.Equal(90, parsed!.Routes[0].WeightedClusters[0].Weight);
        Assert.Equal("10.0.0.5:8080", parsed.AgentDirectory["agent-a"]);
        Assert.Equal(503, parsed.FaultRules[1].Abort!.HttpStatus);
    }

    [Fact]
    public void Json_OmittedNewMembers_TakeDefaults()
    {
        var json = """
            { "constitutional_hash": "cdd01ef066bc6cf2", "version": "v", "service_name": "s",
              "clusters": { "c": { "destinations": ["h:1"] } },
              "routes": [ { "host": "c", "cluster": "c" } ],
              "fault_rules": [ { "inbound": true, "delay": { "fixed_delay_ms": 5 } } ] }
            """u8;

        Assert.True(ConfigSnapshotJson.TryParse(json, out var snapshot, out var error), error);

        Assert.Empty(ConfigSnapshotValidator.Validate(snapshot));
        Assert.True(snapshot!.Routes[0].WeightedClusters.IsEmpty);
        Assert.Null(snapshot.Routes[0].PathPrefix);
        Assert.Empty(snapshot.AgentDirectory);
        Assert.Null(snapshot.FaultRules[0].Delay!.Percentage);
        Assert.Null(snapshot.FaultRules[0].ExpiresAt);
    }

    [Fact]
    public void Json_UnknownKeyInFaultRule_IsParseError()
    {
        var json = """{ "version": "v", "fault_rules": [ { "inbound": true, "delay_ms": 5 } ] }"""u8;

        Assert.False(ConfigSnapshotJson.TryParse(json, out _, out var error));
        Assert.Contains("delay_ms", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.1:8080", true)]
    [InlineData("[::1]:8080", true)]
    [InlineData("::1:8080", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("10.0.0.1:0", false)]
    [InlineData("10.0.0.1:70000", false)]
    [InlineData("bus.local:8080", false)]
    [InlineData(" 10.0.0.1:8080", false)]
    [InlineData("", false)]
    public void IsBusAddress_Cases(string value, bool valid) => Assert.Equal(valid, ConfigSnapshotValidator.IsBusAddress(value));
}
