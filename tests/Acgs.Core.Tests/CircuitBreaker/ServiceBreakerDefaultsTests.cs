// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;

namespace Acgs.Core.Tests.CircuitBreaker;

public sealed class ServiceBreakerDefaultsTests
{
    /// <summary>The seed table (docs/resilience.md), plus an unknown service.</summary>
    public static TheoryData<string, int, int> SeedTable => new()
    {
        { "adaptive-governance", 3, 15 },
        { "policy-registry", 3, 15 },
        { "opa-client", 3, 15 },
        { "audit-ledger", 7, 60 },
        { "deliberation-layer", 7, 45 },
        { "rust-message-bus", 5, 30 },
        { "constraint-generation", 5, 30 },
        { "vector-search", 5, 30 },
        { "some-unknown-service", 5, 30 },
        { "Policy-Registry", 5, 30 }, // service names are ordinal
    };

    [Theory]
    [MemberData(nameof(SeedTable))]
    public void For_Service_ReturnsSeedSettings(string service, int failMax, int resetSeconds)
    {
        var options = ServiceBreakerDefaults.For(service);

        Assert.Equal(failMax, options.FailMax);
        Assert.Equal(TimeSpan.FromSeconds(resetSeconds), options.ResetTimeout);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Seed_HoldsExactlyTheEightSeedServices()
    {
        Assert.Equal(8, ServiceBreakerDefaults.Seed.Count);
    }

    [Fact]
    public void Default_IsFiveFailuresThirtySeconds()
    {
        Assert.Equal(5, CircuitBreakerOptions.Default.FailMax);
        Assert.Equal(TimeSpan.FromSeconds(30), CircuitBreakerOptions.Default.ResetTimeout);
    }
}
