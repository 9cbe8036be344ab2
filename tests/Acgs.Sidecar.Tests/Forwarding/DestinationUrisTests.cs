// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Forwarding;
using Acgs.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Tests.Forwarding;

public sealed class DestinationUrisTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/a/b?x=1", "http://127.0.0.1:8080/", "/a/b", "?x=1")]
    [InlineData("http://127.0.0.1:8080/a/b", "http://127.0.0.1:8080/", "/a/b", "")]
    [InlineData("http://127.0.0.1:8080/", "http://127.0.0.1:8080/", "", "")]
    [InlineData("http://127.0.0.1:8080/?q", "http://127.0.0.1:8080/", null, "?q")]
    [InlineData("http://h:1/base/v-1.2_x~", "http://h:1/base", "/v-1.2_x~", null)]
    public void Matches_WhatYarpBuilds_True(string original, string prefix, string? path, string? query)
    {
        Assert.True(DestinationUris.Matches(original, prefix, path, query));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/a/b?x=1", "http://127.0.0.1:8080/", "/a/b", "?x=2")] // other query
    [InlineData("http://127.0.0.1:8080/a/b?x=1", "http://127.0.0.1:8080/", "/a/b", "")] // query dropped
    [InlineData("http://127.0.0.1:8080/a/c", "http://127.0.0.1:8080/", "/a/b", "")] // other path
    [InlineData("http://127.0.0.1:9090/a/b", "http://127.0.0.1:8080/", "/a/b", "")] // other destination
    [InlineData("http://127.0.0.1:8080/a%20b", "http://127.0.0.1:8080/", "/a%20b", "")] // '%' is encoded by YARP: never compared
    [InlineData("http://127.0.0.1:8080/a b", "http://127.0.0.1:8080/", "/a b", "")] // needs encoding
    [InlineData("http://127.0.0.1:8080/ä", "http://127.0.0.1:8080/", "/ä", "")] // non-ASCII
    public void Matches_AnythingElse_False(string original, string prefix, string? path, string? query)
    {
        Assert.False(DestinationUris.Matches(original, prefix, path, query));
    }

    [Fact]
    public void Reuse_AfterRememberOnTheSameThread_ReturnsTheSameInstanceOnlyForTheSameRequest()
    {
        var uri = new Uri("http://127.0.0.1:8080/x/y?z=1");
        DestinationUris.Remember(uri);

        Assert.Same(uri, DestinationUris.Reuse("http://127.0.0.1:8080/", new PathString("/x/y"), new QueryString("?z=1")));
        Assert.Null(DestinationUris.Reuse("http://127.0.0.1:8080/", new PathString("/x/y"), new QueryString("?z=2")));
        Assert.Null(DestinationUris.Reuse("http://127.0.0.1:8081/", new PathString("/x/y"), new QueryString("?z=1")));
    }

    [Fact]
    public void LeavesPathAndQuery_PathOrQueryTransform_False()
    {
        Assert.True(ProxyTimingTransforms.LeavesPathAndQuery(null));
        Assert.True(ProxyTimingTransforms.LeavesPathAndQuery([new Dictionary<string, string> { ["RequestHeaderOriginalHost"] = "true" }]));
        Assert.False(ProxyTimingTransforms.LeavesPathAndQuery([new Dictionary<string, string> { ["PathPrefix"] = "/api" }]));
        Assert.False(ProxyTimingTransforms.LeavesPathAndQuery([new Dictionary<string, string> { ["QueryValueParameter"] = "a", ["Append"] = "b" }]));
    }
}
