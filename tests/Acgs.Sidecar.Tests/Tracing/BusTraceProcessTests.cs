// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Text;
using Acgs.Contracts.BusWire;
using Acgs.Sidecar.Tests.Bus;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Tracing;

/// <summary>Trace context through the bus of two real linked sidecars, spans collected by a real OTLP/HTTP receiver.</summary>
public sealed class BusTraceProcessTests(BusTracedPair pair) : IClassFixture<BusTracedPair>
{
    private const int KindProducer = 4;

    [Fact]
    public async Task Send_SampledTraceparent_SidecarSpansAreChildrenInTurnAndTheRecipientSeesTheLastOne()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var senderSpan = ActivitySpanId.CreateRandom().ToHexString();

        var (traceParent, traceState) = await SendAsync("m-sampled", $"00-{traceId}-{senderSpan}-01");

        var spans = await Eventually.ValueAsync(() => Of(traceId), static s => s.Count >= 2);
        Assert.Equal(2, spans.Count);
        var forward = Assert.Single(spans, s => s.ParentSpanId == senderSpan);
        var deliver = Assert.Single(spans, s => s.ParentSpanId == forward.SpanId);
        Assert.Equal(("svc-a", "bus.forward", KindProducer), (forward.Service, forward.Name, forward.Kind));
        Assert.Equal(("svc-b", "bus.deliver", KindProducer), (deliver.Service, deliver.Name, deliver.Kind));
        Assert.Equal($"00-{traceId}-{deliver.SpanId}-01", traceParent); // the recipient continues from b's span
        Assert.Equal("vendor=opaque", traceState);
        Assert.All(spans, static s => Assert.Equal("vendor=opaque", s.TraceState));
        Assert.Equal("acgs-bus", deliver.Attributes["messaging.system"]);
        Assert.Equal("m-sampled", deliver.Attributes["messaging.message.id"]);
        Assert.Equal("agent-a", deliver.Attributes["acgs.agent.from"]);
        Assert.Equal("agent-b", deliver.Attributes["acgs.agent.to"]);
        Assert.Equal("t1", deliver.Attributes["acgs.tenant"]);
        Assert.Equal("acked", deliver.Attributes["acgs.bus.outcome"]);
        Assert.Equal("acked", forward.Attributes["acgs.bus.outcome"]);
    }

    [Fact]
    public async Task Send_UnsampledTraceparent_PassedOnUnchangedAndNothingExported()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var sent = $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-00";

        var (traceParent, _) = await SendAsync("m-unsampled", sent);

        Assert.Equal(sent, traceParent);
        var marker = ActivityTraceId.CreateRandom().ToHexString();
        await SendAsync("m-marker", $"00-{marker}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        await Eventually.ValueAsync(() => Of(marker), static s => s.Count >= 2);
        Assert.Empty(Of(traceId));
    }

    private List<ReceivedSpan> Of(string traceId) => [.. pair.Receiver.Spans().Where(s => s.TraceId == traceId)];

    /// <summary>agent-a sends to agent-b with trace context; agent-b reads the delivery (and acks it) and agent-a its ack.</summary>
    private async Task<(string TraceParent, string TraceState)> SendAsync(string id, string traceParent)
    {
        await BusRawHost.SendAsync(pair.AgentA, w => BusFrameWriter.WriteMessage(w, BusFrameType.Send, BusTraceContextTests.Envelope(id), "x"u8, new BusTraceContext(traceParent, "vendor=opaque")));
        var deliver = await BusRawHost.ReadFrameAsync(pair.AgentB);
        Assert.NotNull(deliver);
        Assert.Equal((byte)BusFrameFlagBits.TraceContext, deliver[BusWireConstants.FlagsOffset]);
        Assert.Equal(BusErrorCode.None, BusFrameParser.ParseMessage(deliver.AsSpan(BusWireConstants.HeaderSize), BusFrameFlagBits.TraceContext, out var view));
        Assert.Equal(id, Encoding.UTF8.GetString(view.MessageId));
        var result = (Encoding.ASCII.GetString(view.TraceParent), Encoding.ASCII.GetString(view.TraceState));
        await BusRawHost.SendAsync(pair.AgentB, w => BusFrameWriter.WriteAck(w, id));
        var ack = await BusRawHost.ReadFrameAsync(pair.AgentA);
        Assert.Equal((byte)BusFrameType.Ack, ack![BusWireConstants.TypeOffset]);
        return result;
    }
}
