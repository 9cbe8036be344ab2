// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Sockets;
using System.Text;
using Acgs.Contracts.BusWire;
using Acgs.Core;
using Xunit;

namespace Acgs.Sidecar.Tests.Bus;

/// <summary>Trace context in bus frames: negotiated on register, delivered only to a connection that asked for it.</summary>
public class BusTraceContextTests
{
    private const string Parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private const string State = "vendor=opaque";

    [Theory]
    [InlineData(BusFrameFlagBits.TraceContext)]
    [InlineData(BusFrameFlagBits.None)]
    public async Task Register_TraceContextFlag_IsEchoedInTheAck(BusFrameFlagBits flags)
    {
        await using var host = await BusRawHost.StartAsync();
        using var socket = await host.ConnectAsync();

        await BusRawHost.SendAsync(socket, w => BusFrameWriter.WriteRegister(w, "agent-a", "t1", AcgsConstants.ConstitutionalHash, flags));
        var ack = await BusRawHost.ReadFrameAsync(socket);

        Assert.Equal((byte)BusFrameType.RegisterAck, ack![BusWireConstants.TypeOffset]);
        Assert.Equal((byte)flags, ack[BusWireConstants.FlagsOffset]);
    }

    [Fact]
    public async Task Send_TracedToAnOldClient_IsDeliveredByteForByteAsWithoutTraceContext()
    {
        await using var host = await BusRawHost.StartAsync();
        using var sender = await RegisterAsync(host, "agent-a", BusFrameFlagBits.TraceContext);
        using var old = await RegisterAsync(host, "agent-b", BusFrameFlagBits.None);

        await BusRawHost.SendAsync(sender, w => BusFrameWriter.WriteMessage(w, BusFrameType.Send, Envelope("m-1"), "payload"u8, new BusTraceContext(Parent, State)));
        var deliver = await BusRawHost.ReadFrameAsync(old);

        var plain = new System.Buffers.ArrayBufferWriter<byte>();
        BusFrameWriter.WriteMessage(plain, BusFrameType.Deliver, Envelope("m-1"), "payload"u8);
        Assert.Equal(plain.WrittenSpan.ToArray(), deliver);
    }

    [Fact]
    public async Task Send_TracedToATracingClient_IsDeliveredWithTheTraceContext()
    {
        await using var host = await BusRawHost.StartAsync();
        using var sender = await RegisterAsync(host, "agent-a", BusFrameFlagBits.None);
        using var recipient = await RegisterAsync(host, "agent-b", BusFrameFlagBits.TraceContext);

        await BusRawHost.SendAsync(sender, w => BusFrameWriter.WriteMessage(w, BusFrameType.Send, Envelope("m-1"), "payload"u8, new BusTraceContext(Parent, State)));
        var deliver = await BusRawHost.ReadFrameAsync(recipient);

        AssertTraced(deliver, Parent, State);
    }

    [Fact]
    public async Task Send_UntracedToATracingClient_IsDeliveredUnchanged()
    {
        await using var host = await BusRawHost.StartAsync();
        using var sender = await RegisterAsync(host, "agent-a", BusFrameFlagBits.TraceContext);
        using var recipient = await RegisterAsync(host, "agent-b", BusFrameFlagBits.TraceContext);

        await BusRawHost.SendAsync(sender, w => BusFrameWriter.WriteMessage(w, BusFrameType.Send, Envelope("m-1"), "payload"u8));
        var deliver = await BusRawHost.ReadFrameAsync(recipient);

        var plain = new System.Buffers.ArrayBufferWriter<byte>();
        BusFrameWriter.WriteMessage(plain, BusFrameType.Deliver, Envelope("m-1"), "payload"u8);
        Assert.Equal(plain.WrittenSpan.ToArray(), deliver);
    }

    [Fact]
    public async Task Send_MalformedTraceParent_IsMalformedFrameAndNotDelivered()
    {
        await using var host = await BusRawHost.StartAsync();
        using var sender = await RegisterAsync(host, "agent-a", BusFrameFlagBits.TraceContext);
        using var recipient = await RegisterAsync(host, "agent-b", BusFrameFlagBits.TraceContext);
        var frame = new System.Buffers.ArrayBufferWriter<byte>();
        BusFrameWriter.WriteMessage(frame, BusFrameType.Send, Envelope("m-bad"), "payload"u8, new BusTraceContext(Parent, State));
        var bytes = frame.WrittenSpan.ToArray();
        bytes[bytes.Length - State.Length - 2] = (byte)'x'; // the traceparent's last flags digit

        await sender.SendAsync(bytes);
        await BusRawHost.SendAsync(sender, w => BusFrameWriter.WriteMessage(w, BusFrameType.Send, Envelope("m-good"), "payload"u8));
        var error = await BusRawHost.ReadFrameAsync(sender);
        var deliver = await BusRawHost.ReadFrameAsync(recipient);

        Assert.Equal((byte)BusFrameType.Error, error![BusWireConstants.TypeOffset]);
        Assert.Equal(BusErrorCode.None, BusFrameParser.ParseError(error.AsSpan(BusWireConstants.HeaderSize), out var view));
        Assert.Equal(BusErrorCode.MalformedFrame, view.Code);
        Assert.Equal(BusErrorCode.None, BusFrameParser.ParseMessage(deliver.AsSpan(BusWireConstants.HeaderSize), out var delivered));
        Assert.Equal("m-good", Encoding.UTF8.GetString(delivered.MessageId));
    }

    [Fact]
    public async Task Send_TracedOverAPeerLink_ReachesTheRemoteTracingClientWithTheTraceContext()
    {
        await using var host1 = await BusRawHost.StartAsync();
        await using var host2 = await BusRawHost.StartAsync();
        host1.Router.Directory.Update(new Dictionary<string, string> { ["agent-b"] = host2.BusAddress });
        using var sender = await RegisterAsync(host1, "agent-a", BusFrameFlagBits.TraceContext);
        using var recipient = await RegisterAsync(host2, "agent-b", BusFrameFlagBits.TraceContext);

        // The first message opens the link; it may be written before the remote's register_ack (then without trace context).
        await BusRawHost.SendAsync(sender, w => BusFrameWriter.WriteMessage(w, BusFrameType.Send, Envelope("m-open"), "payload"u8, new BusTraceContext(Parent, State)));
        Assert.NotNull(await BusRawHost.ReadFrameAsync(recipient));
        await BusRawHost.SendAsync(recipient, w => BusFrameWriter.WriteAck(w, "m-open"));
        Assert.Equal((byte)BusFrameType.Ack, (await BusRawHost.ReadFrameAsync(sender))![BusWireConstants.TypeOffset]);

        await BusRawHost.SendAsync(sender, w => BusFrameWriter.WriteMessage(w, BusFrameType.Send, Envelope("m-1"), "payload"u8, new BusTraceContext(Parent, State)));
        var deliver = await BusRawHost.ReadFrameAsync(recipient);

        AssertTraced(deliver, Parent, State);
    }

    internal static BusMessageEnvelope Envelope(string id) => new(id, "agent-a", "agent-b", "t1", AcgsConstants.ConstitutionalHash);

    internal static async Task<Socket> RegisterAsync(BusRawHost host, string agent, BusFrameFlagBits flags)
    {
        var socket = await host.ConnectAsync();
        await BusRawHost.SendAsync(socket, w => BusFrameWriter.WriteRegister(w, agent, "t1", AcgsConstants.ConstitutionalHash, flags));
        var ack = await BusRawHost.ReadFrameAsync(socket);
        Assert.Equal((byte)BusFrameType.RegisterAck, ack![BusWireConstants.TypeOffset]);
        return socket;
    }

    private static void AssertTraced(byte[]? deliver, string traceParent, string traceState)
    {
        Assert.NotNull(deliver);
        Assert.Equal((byte)BusFrameType.Deliver, deliver[BusWireConstants.TypeOffset]);
        Assert.Equal((byte)BusFrameFlagBits.TraceContext, deliver[BusWireConstants.FlagsOffset]);
        Assert.Equal(BusErrorCode.None, BusFrameParser.ParseMessage(deliver.AsSpan(BusWireConstants.HeaderSize), BusFrameFlagBits.TraceContext, out var view));
        Assert.Equal(traceParent, Encoding.ASCII.GetString(view.TraceParent));
        Assert.Equal(traceState, Encoding.ASCII.GetString(view.TraceState));
        Assert.Equal("payload", Encoding.UTF8.GetString(view.Payload));
    }
}
