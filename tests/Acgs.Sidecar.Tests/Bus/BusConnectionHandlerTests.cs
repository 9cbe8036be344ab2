// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers.Binary;
using System.Text;
using Acgs.Contracts.BusWire;
using Acgs.Core;
using Xunit;

namespace Acgs.Sidecar.Tests.Bus;

public class BusConnectionHandlerTests
{
    [Fact]
    public async Task OnConnected_HttpRequestOnBusPort_GetsMalformedFrameErrorAndIsClosed()
    {
        await using var host = await BusRawHost.StartAsync();
        using var socket = await host.ConnectAsync();

        await socket.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        var error = await BusRawHost.ReadFrameAsync(socket);
        var next = await BusRawHost.ReadFrameAsync(socket);

        AssertError(error, BusErrorCode.MalformedFrame);
        Assert.Null(next);
    }

    [Fact]
    public async Task OnConnected_LengthOverLimit_GetsFrameTooLargeAndIsClosed()
    {
        await using var host = await BusRawHost.StartAsync();
        using var socket = await host.ConnectAsync();
        var header = new byte[BusWireConstants.HeaderSize];
        BusFrameWriter.WriteHeader(header, BusFrameType.Send, BusFrameFlagBits.None, BusWireConstants.MaxBodyBytes + 1);

        await socket.SendAsync(header);

        AssertError(await BusRawHost.ReadFrameAsync(socket), BusErrorCode.FrameTooLarge);
        Assert.Null(await BusRawHost.ReadFrameAsync(socket));
    }

    [Fact]
    public async Task OnConnected_OtherVersion_GetsUnsupportedVersionAndIsClosed()
    {
        await using var host = await BusRawHost.StartAsync();
        using var socket = await host.ConnectAsync();

        await socket.SendAsync(new byte[] { BusWireConstants.Magic, 2, 7, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0 });

        AssertError(await BusRawHost.ReadFrameAsync(socket), BusErrorCode.UnsupportedVersion);
        Assert.Null(await BusRawHost.ReadFrameAsync(socket));
    }

    [Fact]
    public async Task OnConnected_BadFieldInsideDelimitedFrame_GetsErrorAndConnectionContinues()
    {
        await using var host = await BusRawHost.StartAsync();
        using var socket = await host.ConnectAsync();
        var badRegister = new byte[] { BusWireConstants.Magic, BusWireConstants.Version, (byte)BusFrameType.Register, 0, 0, 0, 0, 1, 200 };

        await socket.SendAsync(badRegister);
        var first = await BusRawHost.ReadFrameAsync(socket);
        await BusRawHost.SendAsync(socket, w => BusFrameWriter.WritePing(w, BusFrameType.Ping, 7));
        var pong = await BusRawHost.ReadFrameAsync(socket);

        AssertError(first, BusErrorCode.FieldTooLarge);
        Assert.NotNull(pong);
        Assert.Equal((byte)BusFrameType.Pong, pong![BusWireConstants.TypeOffset]);
        Assert.Equal(7UL, BinaryPrimitives.ReadUInt64BigEndian(pong.AsSpan(BusWireConstants.HeaderSize)));
    }

    [Fact]
    public async Task OnConnected_UnknownFrameType_GetsMalformedFrameAndConnectionContinues()
    {
        await using var host = await BusRawHost.StartAsync();
        using var socket = await host.ConnectAsync();

        await socket.SendAsync(new byte[] { BusWireConstants.Magic, BusWireConstants.Version, 99, 0, 0, 0, 0, 2, 1, 2 });
        var error = await BusRawHost.ReadFrameAsync(socket);
        await BusRawHost.SendAsync(socket, w => BusFrameWriter.WriteRegister(w, "agent-a", "t1", AcgsConstants.ConstitutionalHash));
        var ack = await BusRawHost.ReadFrameAsync(socket);

        AssertError(error, BusErrorCode.MalformedFrame);
        Assert.Equal((byte)BusFrameType.RegisterAck, ack![BusWireConstants.TypeOffset]);
    }

    [Fact]
    public async Task Send_BeforeRegister_IsNotRegistered()
    {
        await using var host = await BusRawHost.StartAsync();
        using var socket = await host.ConnectAsync();

        await BusRawHost.SendAsync(socket, w => BusFrameWriter.WriteMessage(w, BusFrameType.Send,
            new BusMessageEnvelope("m-1", "agent-a", "agent-b", "t1", AcgsConstants.ConstitutionalHash), "x"u8));

        AssertError(await BusRawHost.ReadFrameAsync(socket), BusErrorCode.NotRegistered, "m-1");
    }

    [Fact]
    public async Task Send_FrameSplitIntoSingleBytes_IsRoutedWhole()
    {
        await using var host = await BusRawHost.StartAsync();
        using var socket = await host.ConnectAsync();
        await BusRawHost.SendAsync(socket, w => BusFrameWriter.WriteRegister(w, "agent-a", "t1", AcgsConstants.ConstitutionalHash));
        Assert.NotNull(await BusRawHost.ReadFrameAsync(socket));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        BusFrameWriter.WriteMessage(buffer, BusFrameType.Send, new BusMessageEnvelope("m-self", "agent-a", "agent-a", "t1", AcgsConstants.ConstitutionalHash), "to myself"u8);

        foreach (var b in buffer.WrittenSpan.ToArray())
        {
            await socket.SendAsync(new[] { b });
        }

        var deliver = await BusRawHost.ReadFrameAsync(socket);
        Assert.Equal((byte)BusFrameType.Deliver, deliver![BusWireConstants.TypeOffset]);
        Assert.Equal(BusErrorCode.None, BusFrameParser.ParseMessage(deliver.AsSpan(BusWireConstants.HeaderSize), out var view));
        Assert.Equal("to myself", Encoding.UTF8.GetString(view.Payload));
    }

    private static void AssertError(byte[]? frame, BusErrorCode code, string messageId = "")
    {
        Assert.NotNull(frame);
        Assert.Equal((byte)BusFrameType.Error, frame![BusWireConstants.TypeOffset]);
        Assert.Equal(BusErrorCode.None, BusFrameParser.ParseError(frame.AsSpan(BusWireConstants.HeaderSize), out var error));
        Assert.Equal(code, error.Code);
        Assert.Equal(messageId, Encoding.UTF8.GetString(error.MessageId));
    }
}
