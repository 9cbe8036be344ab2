// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Net.Sockets;
using Acgs.Contracts.BusWire;
using Acgs.Core;
using Xunit;

namespace Acgs.Bus.Client.Tests;

/// <summary>
/// Mutated send frames from a registered agent over a real connection: the sidecar never crashes,
/// answers every delimited frame, and the consumer only ever receives messages that decode whole
/// and are byte-identical to a frame the producer actually sent.
/// </summary>
public class BusFuzzTests
{
    [Fact]
    public async Task Send_MutatedFrames_NoCrashNoPartialDeliveryAndEveryFrameAnswered()
    {
        await using var host = await BusTestHost.StartAsync();
        var delivered = new List<byte[]>();
        await using var consumer = await host.ConnectAsync("agent-b", onDelivery: (in BusMessageView m, BusFrameFlagBits _) =>
        {
            lock (delivered)
            {
                delivered.Add(m.MessageId.ToArray());
            }
        });
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(host.BusEndPoint);
        var writer = new ArrayBufferWriter<byte>();
        BusFrameWriter.WriteRegister(writer, "agent-a", "t1", AcgsConstants.ConstitutionalHash);
        var random = new Random(1234);
        var sentIds = new HashSet<string>();
        const int Frames = 400;
        for (var i = 0; i < Frames; i++)
        {
            var id = "f-" + i;
            var frame = new ArrayBufferWriter<byte>();
            BusFrameWriter.WriteMessage(frame, BusFrameType.Send, new BusMessageEnvelope(id, "agent-a", "agent-b", "t1", AcgsConstants.ConstitutionalHash), new byte[random.Next(0, 64)]);
            var bytes = frame.WrittenSpan.ToArray();
            if (random.Next(2) == 0)
            {
                // Mutate a body byte only: the frame stays delimited, so the stream stays in sync.
                bytes[BusWireConstants.HeaderSize + random.Next(bytes.Length - BusWireConstants.HeaderSize)] = (byte)random.Next(256);
            }

            if (BusFrameParser.ParseMessage(bytes.AsSpan(BusWireConstants.HeaderSize), out var view) == BusErrorCode.None)
            {
                sentIds.Add(System.Text.Encoding.UTF8.GetString(view.MessageId));
            }

            writer.Write(bytes);
        }

        BusFrameWriter.WritePing(writer, BusFrameType.Ping, 99);
        await socket.SendAsync(writer.WrittenMemory);

        var answers = 0;
        var sawPong = false;
        var pending = Array.Empty<byte>();
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!sawPong)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            Assert.True(n > 0, "the sidecar closed the connection");
            pending = [.. pending, .. buffer.AsSpan(0, n)];
            var sequence = new ReadOnlySequence<byte>(pending);
            while (BusFrameReader.TryReadFrame(sequence, out var header, out var frame, out _) == BusFrameReadStatus.Complete)
            {
                sawPong |= header.Type == BusFrameType.Pong;
                if (header.Type is BusFrameType.Ack or BusFrameType.Error)
                {
                    answers++;
                }

                sequence = sequence.Slice(frame.End);
            }

            pending = sequence.ToArray();
        }

        // Every send is answered once its ack comes back from the consumer; read the stragglers as they come.
        while (answers < Frames)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            Assert.True(n > 0, $"the sidecar closed the connection after {answers} of {Frames} answers");
            pending = [.. pending, .. buffer.AsSpan(0, n)];
            var sequence = new ReadOnlySequence<byte>(pending);
            while (BusFrameReader.TryReadFrame(sequence, out var header, out var frame, out _) == BusFrameReadStatus.Complete)
            {
                answers += header.Type is BusFrameType.Ack or BusFrameType.Error ? 1 : 0;
                sequence = sequence.Slice(frame.End);
            }

            pending = sequence.ToArray();
        }

        Assert.Equal(Frames, answers);
        lock (delivered)
        {
            Assert.All(delivered, id => Assert.Contains(System.Text.Encoding.UTF8.GetString(id), sentIds));
            Assert.True(delivered.Count <= sentIds.Count);
        }

        await consumer.PingAsync().WaitAsync(TimeSpan.FromSeconds(5));
    }
}
