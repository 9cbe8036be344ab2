// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;
using Acgs.Contracts.Validation;
using Xunit;

namespace Acgs.Contracts.Tests.Validation;

public sealed class ServiceNameTests
{
    [Theory]
    [InlineData("orders", true)]
    [InlineData("vector-search.v2_blue", true)]
    [InlineData("-leading-dash", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("Orders", false)]
    [InlineData("has space", false)]
    [InlineData("inbound|app", false)]
    public void IsValid_Name_FollowsTheOneRule(string? name, bool valid)
    {
        Assert.Equal(valid, ServiceName.IsValid(name));
    }

    [Fact]
    public void IsValid_Length_AtMost253()
    {
        Assert.True(ServiceName.IsValid(new string('a', ServiceName.MaxLength)));
        Assert.False(ServiceName.IsValid(new string('a', ServiceName.MaxLength + 1)));
    }

    [Fact]
    public void PolicyTargetAndSnapshotService_SameName_SameVerdict()
    {
        foreach (var name in new[] { "-x", "a.b_c", "Bad", new string('a', 254) })
        {
            var policy = PolicyValidator.Default.Validate(PolicyDocument.Create("p", name, new TimeoutSpec { RequestTimeoutMs = 10 }));
            var snapshot = ConfigSnapshotValidator.Validate(new ConfigSnapshot { Version = "1", ServiceName = name });
            var policyRefused = policy.Errors.Any(e => e.Path == "target");
            var snapshotRefused = snapshot.Any(e => e.StartsWith("service_name:", StringComparison.Ordinal));
            Assert.Equal(ServiceName.IsValid(name), !policyRefused);
            Assert.Equal(policyRefused, snapshotRefused);
        }
    }

    [Theory]
    [InlineData("Orders-API", "orders-api")]
    [InlineData("inbound|app v2", "inboundappv2")]
    [InlineData("!!!", "")]
    [InlineData(null, "")]
    public void Reduce_AnyText_GivesAValidNameOrEmpty(string? text, string expected)
    {
        var reduced = ServiceName.Reduce(text);

        Assert.Equal(expected, reduced);
        Assert.True(reduced.Length == 0 || ServiceName.IsValid(reduced));
        Assert.Equal(ServiceName.MaxLength, ServiceName.Reduce(new string('A', 300)).Length);
    }
}
