// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Nodes;

namespace Acgs.Injection.Tests;

public sealed class JsonPatchTests
{
    [Theory]
    [InlineData("acgs.io/status", "acgs.io~1status")]
    [InlineData("a~b/c", "a~0b~1c")]
    [InlineData("plain", "plain")]
    public void EscapeSegment_SpecialCharacters_EscapedPerRfc6901(string raw, string escaped)
    {
        Assert.Equal(escaped, JsonPatchOperation.EscapeSegment(raw));
        Assert.Equal(raw, JsonPatchOperation.UnescapeSegment(escaped));
    }

    [Fact]
    public void Apply_InsertAppendAndEscapedMember_ProducesExpectedDocument()
    {
        var document = JsonNode.Parse("""{"a":[1,2],"m":{}}""")!;

        JsonPatch.Apply(document,
        [
            new("add", "/a/0", 0),
            new("add", "/a/-", 3),
            new("add", "/m/x~1y", "v"),
            new("add", "/n", new JsonArray(1)),
        ]);

        Assert.Equal("""{"a":[0,1,2,3],"m":{"x/y":"v"},"n":[1]}""", document.ToJsonString());
    }

    [Theory]
    [InlineData("/missing/x")]
    [InlineData("/a/5")]
    [InlineData("no-slash")]
    public void Apply_BadPath_Throws(string path)
    {
        var document = JsonNode.Parse("""{"a":[1]}""")!;

        Assert.Throws<InvalidOperationException>(() => JsonPatch.Apply(document, [new("add", path, 1)]));
    }

    [Fact]
    public void Apply_OperationOtherThanAdd_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => JsonPatch.Apply(JsonNode.Parse("{}")!, [new("remove", "/a", null)]));
    }

    [Fact]
    public void ToJsonBytes_Operations_IsRfc6902Array()
    {
        var json = System.Text.Encoding.UTF8.GetString(JsonPatch.ToJsonBytes([new("add", "/x", "y")]));

        Assert.Equal("""[{"op":"add","path":"/x","value":"y"}]""", json);
    }
}
