// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Acgs.Contracts.BusWire;
using Acgs.Core;
using Acgs.Sidecar.Bus;
using Xunit;

namespace Acgs.Sidecar.Tests.Bus;

public class BusTransportTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Send_ManyFramesInOneWrite_AllDeliveredInOrderAndAcked(bool inlineTransport)
    {
        await using var host = await BusRawHost.StartAsync(new BusOptions { InlineTransport = inlineTransport });
        using var sender = await host.RegisterAsync("agent-a");
        using var recipient = await host.RegisterAsync("agent-b");
        var frames = new ArrayBufferWriter<byte>();
        for (var i = 0; i < 50; i++)
        {
            BusFrameWriter.WriteMessage(frames, BusFrameType.Send, new BusMessageEnvelope($"m-{i}", "agent-a", "agent-b", "t1", AcgsConstants.ConstitutionalHash), Encoding.UTF8.GetBytes($"payload {i}"));
        }

        await sender.SendAsync(frames.WrittenMemory);
        var acks = new ArrayBufferWriter<byte>();
        for (var i = 0; i < 50; i++)
        {
            var deliver = await BusRawHost.ReadFrameAsync(recipient);
            Assert.Equal((byte)BusFrameType.Deliver, deliver![BusWireConstants.TypeOffset]);
            Assert.Equal(BusErrorCode.None, BusFrameParser.ParseMessage(deliver.AsSpan(BusWireConstants.HeaderSize), out var view));
            Assert.Equal($"m-{i}", Encoding.UTF8.GetString(view.MessageId));
            Assert.Equal($"payload {i}", Encoding.UTF8.GetString(view.Payload));
            BusFrameWriter.WriteIdFrame(acks, BusFrameType.Ack, view.MessageId);
        }

        await recipient.SendAsync(acks.WrittenMemory);
        for (var i = 0; i < 50; i++)
        {
            var ack = await BusRawHost.ReadFrameAsync(sender);
            Assert.Equal((byte)BusFrameType.Ack, ack![BusWireConstants.TypeOffset]);
            Assert.Equal(BusErrorCode.None, BusFrameParser.ParseId(ack.AsSpan(BusWireConstants.HeaderSize), out var id));
            Assert.Equal($"m-{i}", Encoding.UTF8.GetString(id));
        }
    }

    [Fact]
    public async Task StartAsync_InlineBusTransport_HttpApiStaysOnKestrelsTransport()
    {
        await using var host = await BusRawHost.StartAsync(new BusOptions { InlineTransport = true });
        using var agent = await host.RegisterAsync("agent-a");
        using var http = new HttpClient { BaseAddress = host.HttpBase };

        var response = await http.GetAsync(new Uri("v1/agents", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("agent-a", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEqual(host.Listeners.BusPort, host.Listeners.HttpPort);
        Assert.NotEqual(0, host.Listeners.BusPort);
    }
}
