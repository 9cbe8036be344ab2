// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Acgs.Testing;

namespace Acgs.ControlPlane.Tests.Distribution;

/// <summary>The ACK stream (<c>POST /api/v1/discovery/acks</c>, a chunked NDJSON body) on a real control plane, spoken over a raw socket.</summary>
public sealed class AckStreamTests : IAsyncLifetime
{
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartEmbeddedAsync(_directory);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task AckStream_LineForAnotherNode_DroppedWhileTheStreamsOwnLinesCountAndEndWith204()
    {
        await using var v1 = await WatchConnection.OpenAsync(_host.Address, "vector-search", "v1", "127.0.0.1:15006");
        await using var v2 = await WatchConnection.OpenAsync(_host.Address, "vector-search", "v2", "127.0.0.1:15007");
        var first = await v1.NextSnapshotAsync();
        var other = await v2.NextSnapshotAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_host.Address.Host, _host.Address.Port);
        var socket = tcp.GetStream();
        await WriteAsync(socket, $"POST /api/v1/discovery/acks?service=vector-search&node=v1 HTTP/1.1\r\nHost: {_host.Address.Authority}\r\nTransfer-Encoding: chunked\r\n\r\n");

        await WriteAsync(socket, Chunk(Line("vector-search", "v2", other)) + Chunk("\n") + Chunk(Line("vector-search", "v1", first)));

        await Eventually.TrueAsync(async () => (string?)(await NodeAsync("v1"))?["acked_version"] == (string?)first["version"], "the stream's own ACK counts");
        Assert.Null((string?)(await NodeAsync("v2"))!["acked_version"]); // the line before it, for another node, was dropped
        await WriteAsync(socket, "0\r\n\r\n");
        var answer = new byte[256];
        var read = await socket.ReadAsync(answer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.StartsWith("HTTP/1.1 204", Encoding.ASCII.GetString(answer, 0, read), StringComparison.Ordinal);
    }

    private static string Line(string service, string node, JsonObject message) => new JsonObject
    {
        ["service_name"] = service,
        ["node_id"] = node,
        ["version"] = (string?)message["version"],
        ["nonce"] = (string?)message["nonce"],
        ["accepted"] = true,
        ["errors"] = new JsonArray(),
    }.ToJsonString() + "\n";

    private static string Chunk(string data) => Encoding.UTF8.GetByteCount(data).ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\r\n" + data + "\r\n";

    private static async Task WriteAsync(NetworkStream socket, string text)
    {
        await socket.WriteAsync(Encoding.UTF8.GetBytes(text));
        await socket.FlushAsync();
    }

    private async Task<JsonNode?> NodeAsync(string node) =>
        JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/discovery/sidecars"))!.AsArray().FirstOrDefault(s => (string?)s!["node_id"] == node);
}
