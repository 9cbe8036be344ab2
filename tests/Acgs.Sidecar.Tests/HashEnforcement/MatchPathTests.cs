// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Sidecar.HashEnforcement;
using Acgs.Sidecar.Tests.Fixtures;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Tests.HashEnforcement;

public sealed class MatchPathTests
{
    [Theory]
    [InlineData("/healthz/..;/secret", "/secret")]
    [InlineData("/healthz/..\\secret", "/secret")]
    [InlineData("/healthz/x%2F..%2F..%2Fsecret", "/secret")]
    [InlineData("/healthz;jsessionid=1/live", "/healthz/live")]
    [InlineData("/a/%2E%2E/b", "/b")]
    [InlineData("/a/%7Euser", "/a/~user")]
    [InlineData("/a/%20b", "/a/%20b")]
    [InlineData("/../..;/x", "/x")]
    public void Normalize_SuspiciousPath_ReadLikeALenientApp(string path, string expected) =>
        Assert.Equal(expected, MatchPath.Normalize(path));

    [Theory]
    [InlineData("/healthz/live", false)]
    [InlineData("/api/v1/items-2_x.json~", false)]
    [InlineData("/a;b", true)]
    [InlineData("/a\\b", true)]
    [InlineData("/a%2Fb", true)]
    public void NeedsNormalizing_OnlyForBackslashSemicolonPercent(string path, bool expected) =>
        Assert.Equal(expected, MatchPath.NeedsNormalizing(path));

    [Fact]
    public void IsExempt_PlainPath_AllocatesNothing()
    {
        var policy = HashPolicyRuntime.From(SidecarTestHost.Snapshot() with { HashPolicy = new HashPolicy { ExemptPathPrefixes = ["/healthz", "/metrics"] } });
        var exempt = new PathString("/healthz/live");
        var other = new PathString("/api/v1/orders/42");
        Assert.True(policy.IsExempt(exempt)); // warm up
        Assert.False(policy.IsExempt(other));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            _ = policy.IsExempt(exempt);
            _ = policy.IsExempt(other);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
