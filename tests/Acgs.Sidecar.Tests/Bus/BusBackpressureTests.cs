// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Acgs.Contracts.BusWire;
using Acgs.Core;
using Acgs.Sidecar.Bus;
using Acgs.Testing;
using Xunit;

namespace Acgs.Sidecar.Tests.Bus;

public class BusBackpressureTests
{
    private static readonly TimeSpan Blocked = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Pings_ClientNeverReads_SidecarStopsReadingAndControlQueueStaysBounded()
    {
        const int capacity = 64;
        await using var host = await BusRawHost.StartAsync(new BusOptions { ControlCapacity = capacity });
        using var socket = await host.RegisterAsync("agent-a", receiveBufferSize: 4096);
        var session = Assert.Single(host.Router.Agents);
        var chunk = new ArrayBufferWriter<byte>();
        for (var i = 0; i < 1024; i++)
        {
            BusFrameWriter.WritePing(chunk, BusFrameType.Ping, (ulong)i);
        }

        var maxQueued = 0;
        Task? pending = null;
        for (var i = 0; i < 20_000; i++)
        {
            var send = socket.SendAsync(chunk.WrittenMemory).AsTask();
            var done = await Task.WhenAny(send, Task.Delay(Blocked));
            maxQueued = Math.Max(maxQueued, session.Outbox.ControlCount);
            if (done != send)
            {
                pending = send;
                break;
            }
        }

        Assert.NotNull(pending);
        Assert.InRange(maxQueued, 0, capacity);
        Assert.InRange(session.Outbox.ControlCount, 0, capacity);
        Assert.True(session.IsOpen);

        // Once the client reads, the connection carries on: its replies are pongs.
        for (var i = 0; i < 10; i++)
        {
            var frame = await BusRawHost.ReadFrameAsync(socket);
            Assert.NotNull(frame);
            Assert.Equal((byte)BusFrameType.Pong, frame[BusWireConstants.TypeOffset]);
        }
    }

    [Fact]
    public async Task Sends_SenderNeverReadsItsAcks_IsClosedWithSlowReaderErrorFrame()
    {
        // The sidecar stops reading a sender whose control queue is half full, so the queue can only overflow
        // through replies to messages already read: acks still to come from the consumer. To make that certain,
        // the consumer holds every ack until it has all the messages, then sends them at once. The sender never
        // reads, so the acks fill its socket (the kernel's send buffer grows up to tcp_wmem's maximum) and the
        // rest pile up in the control queue: enough messages that their acks exceed that by a wide margin.
        const int capacity = 256;
        var id = new string('x', 120);
        var ackBytes = new ArrayBufferWriter<byte>();
        BusFrameWriter.WriteIdFrame(ackBytes, BusFrameType.Ack, System.Text.Encoding.ASCII.GetBytes(id + "00000"));
        var messages = capacity + (int)((MaxSocketSendBuffer() + (2 * 1024 * 1024)) / ackBytes.WrittenCount);
        var options = new BusOptions { ControlCapacity = capacity, MaxInflight = messages, LaneCapacity = messages, SlowReaderGrace = TimeSpan.FromSeconds(30) };
        await using var host = await BusRawHost.StartAsync(options);
        using var consumer = await host.RegisterAsync("agent-b");
        using var sender = await host.RegisterAsync("agent-a", receiveBufferSize: 4096);
        var session = Assert.Single(host.Router.Agents, a => a.AgentId == "agent-a");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var consuming = HoldAcksThenSendAllAsync(consumer, messages, stop.Token);

        var batch = new ArrayBufferWriter<byte>();
        for (var sent = 0; sent < messages;)
        {
            batch.ResetWrittenCount();
            for (var i = 0; i < 64 && sent < messages; i++, sent++)
            {
                var envelope = new BusMessageEnvelope(id + sent.ToString("D5", System.Globalization.CultureInfo.InvariantCulture), "agent-a", "agent-b", "t1", AcgsConstants.ConstitutionalHash)
                {
                    ConversationId = "c",
                    CreatedAtUnixMs = 1,
                };
                BusFrameWriter.WriteMessage(batch, BusFrameType.Send, envelope, default);
            }

            await sender.SendAsync(batch.WrittenMemory);
        }

        var acked = await consuming;
        Assert.Equal(messages, acked);
        await Eventually.TrueAsync(() => !session.IsOpen, $"the session closes after {acked} acks (control queue capacity {capacity})", TimeSpan.FromSeconds(30));

        // Read what the sidecar wrote: acks, then the slow_reader error, then the end of the stream.
        byte[]? last = null;
        var frames = 0;
        while (await BusRawHost.ReadFrameAsync(sender) is { } frame)
        {
            last = frame;
            frames++;
        }

        Assert.True(frames > capacity, $"{frames} frames after {messages} messages");
        Assert.NotNull(last);
        Assert.True((byte)BusFrameType.Error == last[BusWireConstants.TypeOffset], $"last frame type {last[BusWireConstants.TypeOffset]} after {frames} frames; slow {C(host, "slow_reader")} malformed {C(host, "malformed_frame")} large {C(host, "frame_too_large")} version {C(host, "unsupported_version")}");
        Assert.Equal(BusErrorCode.None, BusFrameParser.ParseError(last.AsSpan(BusWireConstants.HeaderSize), out var error));
        Assert.Equal(BusErrorCode.SlowReader, error.Code);
        Assert.True(error.MessageId.IsEmpty);
        Assert.DoesNotContain(host.Router.Agents, a => a.AgentId == "agent-a");
    }

    private static double C(BusRawHost host, string result) => host.Router.Metrics.Messages.WithLabels("unparsed", result).Value;

    /// <summary>The most a socket's send buffer grows to by itself: the third field of <c>tcp_wmem</c> (4 MiB if unreadable).</summary>
    private static long MaxSocketSendBuffer()
    {
        try
        {
            var fields = File.ReadAllText("/proc/sys/net/ipv4/tcp_wmem").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 4 * 1024 * 1024;
        }
    }

    /// <summary>Reads deliveries until <paramref name="expected"/> arrived, then sends all their acks in one write.</summary>
    private static async Task<int> HoldAcksThenSendAllAsync(Socket socket, int expected, CancellationToken cancellationToken)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var reader = PipeReader.Create(stream);
        var acks = new ArrayBufferWriter<byte>();
        var received = 0;
        while (received < expected)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            received += AckFrames(ref buffer, acks);
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await socket.SendAsync(acks.WrittenMemory, cancellationToken);
        return received;
    }

    private static int AckFrames(ref ReadOnlySequence<byte> buffer, ArrayBufferWriter<byte> acks)
    {
        var count = 0;
        while (BusFrameReader.TryReadFrame(buffer, out var header, out var frame, out _) == BusFrameReadStatus.Complete)
        {
            if (header.Type == BusFrameType.Deliver)
            {
                var body = frame.Slice(BusWireConstants.HeaderSize).ToArray();
                if (BusFrameParser.ParseMessage(body, out var view) == BusErrorCode.None)
                {
                    BusFrameWriter.WriteIdFrame(acks, BusFrameType.Ack, view.MessageId);
                    count++;
                }
            }

            buffer = buffer.Slice(frame.End);
        }

        return count;
    }
}
