// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Acgs.Contracts.Config;
using Acgs.ControlPlane.Distribution;

namespace Acgs.ControlPlane.Tests.Distribution;

public sealed class SerializedSnapshotTests
{
    private static ConfigSnapshot Snapshot(string version) => new()
    {
        Version = version,
        ServiceName = "svc-a",
    };

    [Fact]
    public void WriteLine_WithNonce_IsOneJsonLineCarryingVersionNonceAndSnapshot()
    {
        var snapshot = Snapshot("7-0123456789ab");
        var writer = new ArrayBufferWriter<byte>();

        SerializedSnapshot.Of(snapshot).WriteLine(writer, "00112233445566778899aabbccddeeff");

        var text = Encoding.UTF8.GetString(writer.WrittenSpan);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        Assert.Equal(1, text.Count(c => c == '\n'));
        var line = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("snapshot", (string?)line["type"]);
        Assert.Equal("7-0123456789ab", (string?)line["version"]);
        Assert.Equal("00112233445566778899aabbccddeeff", (string?)line["nonce"]);
        Assert.True(ConfigSnapshotJson.TryParse(line["snapshot"]!.AsObject(), out var parsed, out var error), error);
        Assert.Equal("svc-a", parsed!.ServiceName);
        Assert.Equal("7-0123456789ab", parsed.Version);
    }

    [Fact]
    public void Of_SameSnapshot_SerializesOnce()
    {
        var snapshot = Snapshot("1-aaaaaaaaaaaa");

        Assert.Same(SerializedSnapshot.Of(snapshot), SerializedSnapshot.Of(snapshot));
        Assert.NotSame(SerializedSnapshot.Of(snapshot), SerializedSnapshot.Of(Snapshot("1-aaaaaaaaaaaa")));
    }

    [Fact]
    public void SnapshotLine_TwoNonces_DifferOnlyInTheNonce()
    {
        var snapshot = Snapshot("2-bbbbbbbbbbbb");

        var first = Encoding.UTF8.GetString(DistributionEndpoints.SnapshotLine(snapshot, new string('1', 32)));
        var second = Encoding.UTF8.GetString(DistributionEndpoints.SnapshotLine(snapshot, new string('2', 32)));

        Assert.Equal(first.Replace(new string('1', 32), new string('2', 32), StringComparison.Ordinal), second);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Of_VersionNeedingEscapes_StaysValidJson()
    {
        var snapshot = Snapshot("3-\"quoted\"");
        var writer = new ArrayBufferWriter<byte>();

        SerializedSnapshot.Of(snapshot).WriteLine(writer, new string('f', 32));

        Assert.Equal("3-\"quoted\"", (string?)JsonNode.Parse(writer.WrittenSpan)!["version"]);
    }
}
