// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Tests.Logging;
using Acgs.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Tests.Distribution;

/// <summary>The ACK stream (<c>POST /api/v1/discovery/acks</c>, a chunked NDJSON body) on a real control plane, spoken over a raw socket.</summary>
public sealed class AckStreamTests : IAsyncLifetime
{
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private System.Collections.Concurrent.ConcurrentQueue<string> _log = null!;
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ControlPlaneHost.StartEmbeddedAsync(_directory);
        var logs = new CapturingLoggerProvider();
        _log = logs.Lines;
        _host.App.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs); // the factory owns it
    }

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
        Assert.StartsWith("HTTP/1.1 204", await ReadAnswerAsync(socket), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AckStream_RefusedLines_EachCountedByReasonAndLoggedOncePlusASummary()
    {
        await using var v1 = await WatchConnection.OpenAsync(_host.Address, "vector-search", "v1", "127.0.0.1:15006");
        var first = await v1.NextSnapshotAsync();
        using var tcp = await OpenAckStreamAsync("vector-search", "v1");
        var socket = tcp.GetStream();

        var bad = new StringBuilder()
            .Append("{\"secret\":\"hunter2-not-to-be-logged\"\n")                       // unreadable
            .Append("{\"service_name\":\"vector-search\",\"node_id\":\"v1\",\"accepted\":true}\n") // invalid: no version
            .Append(Line("vector-search", "v2", first)).Append(Line("vector-search", "v2", first)).Append(Line("other", "v1", first)); // other_node
        await WriteAsync(socket, Chunk(bad.ToString()) + Chunk(Line("vector-search", "v1", first)));

        await Eventually.TrueAsync(async () => await MetricAsync("acgs_controlplane_ack_stream_lines_refused_total{reason=\"other_node\"}") == 3, "the lines for other sidecars are counted");
        Assert.Equal(1, await MetricAsync("acgs_controlplane_ack_stream_lines_refused_total{reason=\"unreadable\"}"));
        Assert.Equal(1, await MetricAsync("acgs_controlplane_ack_stream_lines_refused_total{reason=\"invalid\"}"));
        await Eventually.TrueAsync(async () => (string?)(await NodeAsync("v1"))?["acked_version"] == (string?)first["version"], "the stream's own ACK still counts");
        var refusal = Assert.Single(_log, static l => l.Contains("dropped a line", StringComparison.Ordinal));
        Assert.Contains("not a JSON SnapshotAck", refusal, StringComparison.Ordinal); // the first one's reason

        await WriteAsync(socket, "0\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 204", await ReadAnswerAsync(socket), StringComparison.Ordinal);
        var summary = await Eventually.ValueAsync(() => _log.FirstOrDefault(static l => l.Contains("ended having dropped", StringComparison.Ordinal)), static l => l is not null);
        Assert.Contains("dropped 5 line(s)", summary, StringComparison.Ordinal);
        Assert.Single(_log, static l => l.Contains("dropped a line", StringComparison.Ordinal));
        Assert.DoesNotContain(_log, static l => l.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AckStream_LineLongerThanLimit_RefusedAndStreamEndedWith413()
    {
        using var tcp = await OpenAckStreamAsync("vector-search", "v1");
        var socket = tcp.GetStream();

        var size = Contracts.ControlPlane.WatchLines.AckLineMaxBytes + 1;
        await WriteAsync(socket, size.ToString("x", CultureInfo.InvariantCulture) + "\r\n" + new string('x', size)); // no newline, and nothing after it to leave unread

        Assert.StartsWith("HTTP/1.1 413", await ReadAnswerAsync(socket), StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => await MetricAsync("acgs_controlplane_ack_stream_lines_refused_total{reason=\"too_long\"}") == 1, "the long line is counted");
        await Eventually.TrueAsync(async () => await MetricAsync("acgs_controlplane_ack_streams") == 0, "the stream is closed");
    }

    [Fact]
    public async Task AckStream_SecondStreamForSameNode_ReplacesTheOldOneWhichEndsWith409()
    {
        await using var v1 = await WatchConnection.OpenAsync(_host.Address, "vector-search", "v1", "127.0.0.1:15006");
        var first = await v1.NextSnapshotAsync();
        using var old = await OpenAckStreamAsync("vector-search", "v1");
        using var other = await OpenAckStreamAsync("vector-search", "v2");
        await Eventually.TrueAsync(async () => await MetricAsync("acgs_controlplane_ack_streams") == 2, "both sidecars' streams are open");

        using var replacement = await OpenAckStreamAsync("vector-search", "v1");

        Assert.StartsWith("HTTP/1.1 409", await ReadAnswerAsync(old.GetStream()), StringComparison.Ordinal);
        Assert.Single(_log, static l => l.Contains("vector-search/v1 replaced by a newer one", StringComparison.Ordinal));
        await WriteAsync(replacement.GetStream(), Chunk(Line("vector-search", "v1", first)));
        await Eventually.TrueAsync(async () => (string?)(await NodeAsync("v1"))?["acked_version"] == (string?)first["version"], "the new stream's ACK counts");
        Assert.Equal(2, await MetricAsync("acgs_controlplane_ack_streams")); // the replacement and v2's, untouched
    }

    private async Task<TcpClient> OpenAckStreamAsync(string service, string node)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(_host.Address.Host, _host.Address.Port);
        await WriteAsync(tcp.GetStream(), $"POST /api/v1/discovery/acks?service={service}&node={node} HTTP/1.1\r\nHost: {_host.Address.Authority}\r\nTransfer-Encoding: chunked\r\n\r\n");
        return tcp;
    }

    /// <summary>The start of the control plane's answer on a raw stream (its status line first).</summary>
    private static async Task<string> ReadAnswerAsync(NetworkStream socket)
    {
        var answer = new byte[256];
        var read = await socket.ReadAsync(answer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        return Encoding.ASCII.GetString(answer, 0, read);
    }

    private async Task<double?> MetricAsync(string sample)
    {
        foreach (var line in (await _host.Client.GetStringAsync("/metrics")).Split('\n'))
        {
            if (line.StartsWith(sample + " ", StringComparison.Ordinal))
            {
                return double.Parse(line.AsSpan(sample.Length + 1), NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }

        return null;
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
