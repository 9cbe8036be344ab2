// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Acgs.Contracts.ControlPlane;
using Xunit;

namespace Acgs.Contracts.Tests.ControlPlane;

public sealed class JsonMergePatchTests
{
    private static JsonObject Create(string source, string target)
    {
        var output = new ArrayBufferWriter<byte>();
        JsonMergePatch.Create(Encoding.UTF8.GetBytes(source), Encoding.UTF8.GetBytes(target), output);
        return JsonNode.Parse(output.WrittenSpan)!.AsObject();
    }

    [Fact]
    public void Create_ChangedMembers_OnlyTheChangesAndApplyGivesTheTarget()
    {
        const string source = """{"version":"1-a","clusters":{"a":{"destinations":["x","y"],"breaker":{"fail_max":5}},"b":{"destinations":["z"]},"gone":{"destinations":[]}},"routes":[{"host":"a"}],"keep":true}""";
        const string target = """{"version":"2-b","clusters":{"a":{"destinations":["x","y"],"breaker":{"fail_max":6}},"b":{"destinations":["z","w"]},"new":{"destinations":["n"]}},"routes":[{"host":"a"}],"keep":true}""";

        var patch = Create(source, target);

        Assert.Equal("""{"version":"2-b","clusters":{"a":{"breaker":{"fail_max":6}},"b":{"destinations":["z","w"]},"new":{"destinations":["n"]},"gone":null}}""", patch.ToJsonString());
        var applied = JsonNode.Parse(source)!.AsObject();
        JsonMergePatch.Apply(applied, patch);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(target), applied));
    }

    [Fact]
    public void Create_ManyMembers_IndexedLookupSameResult()
    {
        var source = new JsonObject();
        var target = new JsonObject();
        for (var i = 0; i < 40; i++)
        {
            source["s" + i] = new JsonObject { ["n"] = i };
            target["s" + i] = new JsonObject { ["n"] = i == 17 ? -1 : i };
        }

        target.Remove("s3");
        var patch = Create(source.ToJsonString(), target.ToJsonString());

        Assert.Equal("""{"s17":{"n":-1},"s3":null}""", patch.ToJsonString());
    }

    [Fact]
    public void Create_Equal_EmptyPatch()
    {
        Assert.Empty(Create("""{"a":{"b":[1,2]}}""", """{"a":{"b":[1,2]}}"""));
    }

    [Fact]
    public void Create_NotAnObject_Throws()
    {
        Assert.Throws<ArgumentException>(() => Create("[1]", """{"a":1}"""));
    }

    [Fact]
    public void Apply_ObjectOverValue_ReplacesItWithTheObject()
    {
        var target = JsonNode.Parse("""{"a":1}""")!.AsObject();
        JsonMergePatch.Apply(target, JsonNode.Parse("""{"a":{"b":2}}""")!.AsObject());
        Assert.Equal("""{"a":{"b":2}}""", target.ToJsonString());
    }
}
