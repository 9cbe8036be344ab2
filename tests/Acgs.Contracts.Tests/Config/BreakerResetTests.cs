// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.Contracts.Config;
using Xunit;

namespace Acgs.Contracts.Tests.Config;

/// <summary>The snapshot's one-shot <c>breaker_resets</c> (recovery): validation and JSON.</summary>
public sealed class BreakerResetTests
{
    private static ConfigSnapshot Valid() => new()
    {
        Version = "v7+reset.3.1",
        ServiceName = "frontend",
        Clusters = ImmutableDictionary<string, ClusterConfig>.Empty.Add("orders", new ClusterConfig { Destinations = ["10.0.0.5:15006"] }),
        BreakerResets = [new BreakerReset { Id = "3.1", Clusters = ["orders", "inbound|orders"], Reason = "recovery of orders", IssuedAt = new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero) }],
    };

    [Fact]
    public void Validate_ValidReset_NoErrors() => Assert.Empty(ConfigSnapshotValidator.Validate(Valid()));

    [Fact]
    public void Validate_BadResets_EveryProblemReported()
    {
        var bad = Valid() with
        {
            BreakerResets =
            [
                new BreakerReset { Id = "", Clusters = [] },
                new BreakerReset { Id = new string('x', 65), Clusters = ["ok", "", "bad\u0001name"], Reason = "tab\there" },
                null!,
            ],
        };

        var errors = ConfigSnapshotValidator.Validate(bad);

        Assert.Equal(
            [
                "breaker_resets[0].id: must be 1-64 printable ASCII characters",
                "breaker_resets[0].clusters: 1-64 cluster names are required",
                "breaker_resets[1].id: must be 1-64 printable ASCII characters",
                "breaker_resets[1].reason: at most 253 printable ASCII characters",
                "breaker_resets[1].clusters[1]: must be 1-253 printable ASCII characters",
                "breaker_resets[1].clusters[2]: must be 1-253 printable ASCII characters",
                "breaker_resets[2]: must not be null",
            ],
            errors);
    }

    [Fact]
    public void Validate_TooManyResets_Refused()
    {
        var many = Enumerable.Range(0, ConfigSnapshotValidator.MaxBreakerResets + 1).Select(i => new BreakerReset { Id = "r" + i, Clusters = ["orders"] });

        var errors = ConfigSnapshotValidator.Validate(Valid() with { BreakerResets = [.. many] });

        Assert.Equal("breaker_resets: at most 16 entries", Assert.Single(errors));
    }

    [Fact]
    public void Serialize_WithoutResets_FieldLeftOut() =>
        Assert.DoesNotContain("breaker_resets", ConfigSnapshotJson.Serialize(Valid() with { BreakerResets = null }), StringComparison.Ordinal);

    [Fact]
    public void RoundTrip_WithResets_Kept()
    {
        var json = ConfigSnapshotJson.Serialize(Valid());

        Assert.True(ConfigSnapshotJson.TryParse(System.Text.Encoding.UTF8.GetBytes(json), out var parsed, out var error), error);
        var reset = Assert.Single(parsed!.BreakerResets!.Value);
        Assert.Equal("3.1", reset.Id);
        Assert.Equal(["orders", "inbound|orders"], reset.Clusters.ToArray());
        Assert.Equal("recovery of orders", reset.Reason);
        Assert.Contains("\"breaker_resets\"", json, StringComparison.Ordinal);
    }
}
