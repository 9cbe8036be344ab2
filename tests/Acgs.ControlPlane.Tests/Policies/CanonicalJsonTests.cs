// Constitutional Hash: cdd01ef066bc6cf2

using System.Text;
using System.Text.Json;
using Acgs.ControlPlane.Policies;

namespace Acgs.ControlPlane.Tests.Policies;

public sealed class CanonicalJsonTests
{
    private static string Canonical(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Encoding.UTF8.GetString(CanonicalJson.ToBytes(document.RootElement));
    }

    [Fact]
    public void ToBytes_KeysInAnyOrderAndSpacing_SameBytes()
    {
        Assert.Equal(Canonical("{\"b\":1,\"a\":{\"y\":[1, 2.5],\"x\":\"é\"}}"), Canonical("{ \"a\" : { \"x\":\"\\u00e9\", \"y\":[ 1,2.50 ] }, \"b\": 1.0 }"));
    }

    [Fact]
    public void ToBytes_Object_SortedWithoutWhitespace()
    {
        Assert.Equal("{\"a\":true,\"b\":null,\"c\":[3,\"x\"]}", Canonical("{\"c\":[3,\"x\"],\"b\":null,\"a\":true}"));
    }

    [Theory]
    [InlineData("1.0.0", true)]
    [InlineData("1.2.3-rc.1+build.5", true)]
    [InlineData("01.0.0", false)]
    [InlineData("1.0", false)]
    [InlineData("v1.0.0", false)]
    [InlineData("", false)]
    public void SemanticVersion_IsValid_FollowsSemVer2(string value, bool expected)
    {
        Assert.Equal(expected, SemanticVersion.IsValid(value));
    }
}
