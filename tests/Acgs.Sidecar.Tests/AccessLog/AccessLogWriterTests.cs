// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Acgs.Core.Logging;
using Acgs.Sidecar.AccessLog;
using Acgs.Sidecar.Telemetry;

namespace Acgs.Sidecar.Tests.AccessLog;

public sealed class AccessLogWriterTests
{
    private static readonly AccessLogEntry Sample = new()
    {
        Start = new DateTimeOffset(2026, 12, 6, 15, 4, 5, 678, TimeSpan.Zero),
        DurationMs = 1.2346,
        UpstreamMs = 0.5,
        Listener = "inbound",
        Method = "GET",
        Path = "/items/\"x\"\n",
        Protocol = "HTTP/1.1",
        Status = 503,
        UpstreamError = "Request",
        BytesReceived = 12,
        UserAgent = "curl/8.0",
        RequestId = "req-1",
        Authority = "svc-b",
        Cluster = "app",
        UpstreamHost = "http://127.0.0.1:8081",
        Caller = "spiffe://acgs.local/ns/default/sa/svc-a",
        TraceId = ActivityTraceId.CreateFromString("0af7651916cd43dd8448eb211c80319c"),
    };

    [Fact]
    public void Format_Json_OneParsableLineWithTheFields()
    {
        var line = FormatOne(LogFormat.Json);

        Assert.EndsWith("\n", line, StringComparison.Ordinal);
        Assert.Single(line.TrimEnd('\n').Split('\n'));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("2026-12-06T15:04:05.678Z", root.GetProperty("start_time").GetString());
        Assert.Equal("/items/\"x\"\n", root.GetProperty("path").GetString());
        Assert.Equal(503, root.GetProperty("status").GetInt32());
        Assert.Equal("Request", root.GetProperty("upstream_error").GetString());
        Assert.Equal(12, root.GetProperty("bytes_received").GetInt64());
        Assert.False(root.TryGetProperty("bytes_sent", out _));
        Assert.Equal(1.235, root.GetProperty("duration_ms").GetDouble());
        Assert.Equal("spiffe://acgs.local/ns/default/sa/svc-a", root.GetProperty("caller").GetString());
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", root.GetProperty("trace_id").GetString());
    }

    [Fact]
    public void Format_TextWithQuotesAndNewline_OneLineEnvoyOrder()
    {
        var line = FormatOne(LogFormat.Text);

        Assert.Equal(
            "[2026-12-06T15:04:05.678Z] \"GET /items/?x?? HTTP/1.1\" 503 Request 12 - 1.235 0.5 \"req-1\" \"svc-b\" \"curl/8.0\" inbound app http://127.0.0.1:8081 spiffe://acgs.local/ns/default/sa/svc-a 0af7651916cd43dd8448eb211c80319c\n",
            line);
    }

    [Fact]
    public async Task TryEnqueue_QueueFull_DroppedCountedAndQueuedLinesWrittenAtStop()
    {
        var metrics = new AccessLogMetrics(new SidecarMetrics());
        var output = new MemoryStream();
        var writer = new AccessLogWriter(new AccessLogOptions("stdout", 1.0, LogFormat.Json), metrics, () => output, capacity: 2);

        var accepted = 0;
        for (var i = 0; i < 5; i++)
        {
            accepted += writer.TryEnqueue(Sample) ? 1 : 0;
        }

        await writer.StartAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(2, accepted);
        Assert.Equal(3, metrics.Dropped.Value);
        Assert.Equal(2, metrics.Written.Value);
        Assert.Equal(2, Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Write_ManyLines_EveryWriteHoldsWholeLinesUnderTheBound()
    {
        var metrics = new AccessLogMetrics(new SidecarMetrics());
        var output = new RecordingStream();
        var writer = new AccessLogWriter(new AccessLogOptions("stdout", 1.0, LogFormat.Text), metrics, () => output, capacity: 1000);
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(writer.TryEnqueue(Sample));
        }

        await writer.StartAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(1000, metrics.Written.Value);
        Assert.True(output.Writes.Count > 1);
        Assert.All(output.Writes, static w => Assert.True(w.Length <= AccessLogWriter.FlushBytes && w[^1] == (byte)'\n'));
    }

    private static string FormatOne(LogFormat format)
    {
        var writer = new AccessLogWriter(new AccessLogOptions("stdout", 1.0, format), new AccessLogMetrics(new SidecarMetrics()), () => Stream.Null, capacity: 1);
        var buffer = new ArrayBufferWriter<byte>();
        writer.Format(Sample, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private sealed class RecordingStream : MemoryStream
    {
        public List<byte[]> Writes { get; } = [];

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.ToArray());
            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
