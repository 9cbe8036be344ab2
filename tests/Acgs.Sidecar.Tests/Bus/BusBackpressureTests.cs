// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Acgs.Contracts.BusWire;
using Acgs.Core;
using Acgs.Sidecar.Bus;
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
        await using var host = await BusRawHost.StartAsync(new BusOptions { ControlCapacity = 1024, SlowReaderGrace = TimeSpan.FromSeconds(30) });
        using var consumer = await host.RegisterAsync("agent-b");
        using var stop = new CancellationTokenSource();
        var acking = AckEverythingAsync(consumer, stop.Token);
        using var sender = await host.RegisterAsync("agent-a", receiveBufferSize: 4096);
        var id = new string('x', 100);
        var batch = new ArrayBufferWriter<byte>();
        var sentMessages = 0;
        var ended = "all sent";
        for (var round = 0; round < 5_000; round++)
        {
            batch.ResetWrittenCount();
            for (var i = 0; i < 64; i++, sentMessages++)
            {
                var envelope = new BusMessageEnvelope(id + sentMessages, "agent-a", "agent-b", "t1", AcgsConstants.ConstitutionalHash)
                {
                    ConversationId = "c",
                    CreatedAtUnixMs = 1,
                };
                BusFrameWriter.WriteMessage(batch, BusFrameType.Send, envelope, default);
            }

            try
            {
                var send = sender.SendAsync(batch.WrittenMemory).AsTask();
                if (await Task.WhenAny(send, Task.Delay(Blocked)) != send)
                {
                    ended = "send blocked";
                    break;
                }
            }
            catch (SocketException ex)
            {
                ended = ex.SocketErrorCode.ToString();
                break;
            }
        }

        // Read what the sidecar wrote: acks (and busy errors), then the slow_reader error, then the end of the stream.
        byte[]? last = null;
        var frames = 0;
        while (await BusRawHost.ReadFrameAsync(sender) is { } frame)
        {
            last = frame;
            frames++;
        }

        await stop.CancelAsync();
        await acking;
        Assert.True(frames > 1, $"{frames} frames after {sentMessages} messages");
        Assert.NotNull(last);
        Assert.True((byte)BusFrameType.Error == last[BusWireConstants.TypeOffset], $"last frame type {last[BusWireConstants.TypeOffset]} after {frames} frames; {sentMessages} messages, {ended}; slow {C("slow_reader")} malformed {C("malformed_frame")} large {C("frame_too_large")} version {C("unsupported_version")}");
        Assert.Equal(BusErrorCode.None, BusFrameParser.ParseError(last.AsSpan(BusWireConstants.HeaderSize), out var error));
        Assert.Equal(BusErrorCode.SlowReader, error.Code);
        Assert.True(error.MessageId.IsEmpty);
        Assert.DoesNotContain(host.Router.Agents, a => a.AgentId == "agent-a");
    }

    private static double C(string result) =>
        Prometheus.Metrics.CreateCounter("acgs_bus_messages_total", string.Empty, new Prometheus.CounterConfiguration { LabelNames = ["type", "result"] })
            .WithLabels("unparsed", result).Value;

    private static async Task AckEverythingAsync(Socket socket, CancellationToken cancellationToken)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var reader = PipeReader.Create(stream);
        var acks = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                AckFrames(ref buffer, acks);
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (acks.WrittenCount > 0)
                {
                    await socket.SendAsync(acks.WrittenMemory, cancellationToken);
                    acks.ResetWrittenCount();
                }

                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static void AckFrames(ref ReadOnlySequence<byte> buffer, ArrayBufferWriter<byte> acks)
    {
        while (BusFrameReader.TryReadFrame(buffer, out var header, out var frame, out _) == BusFrameReadStatus.Complete)
        {
            if (header.Type == BusFrameType.Deliver)
            {
                var body = frame.Slice(BusWireConstants.HeaderSize).ToArray();
                if (BusFrameParser.ParseMessage(body, out var view) == BusErrorCode.None)
                {
                    BusFrameWriter.WriteIdFrame(acks, BusFrameType.Ack, view.MessageId);
                }
            }

            buffer = buffer.Slice(frame.End);
        }
    }
}
