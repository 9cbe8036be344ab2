// Constitutional Hash: cdd01ef066bc6cf2

using System.Text;
using Acgs.Contracts.BusWire;
using Acgs.Sidecar.Bus;
using Acgs.Testing;
using Xunit;

namespace Acgs.Bus.Client.Tests;

public class BusRoundTripTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task SendAsync_LocalRecipient_IsDeliveredAndAcknowledgedEndToEnd()
    {
        await using var host = await BusTestHost.StartAsync();
        await using var b = await host.ConnectAsync("agent-b");
        await using var a = await host.ConnectAsync("agent-a");

        var send = a.SendAsync(a.CreateEnvelope("agent-b", "m-1") with { Priority = WirePriority.High }, Encoding.UTF8.GetBytes("hi"));
        var delivery = await b.ReceiveAsync().AsTask().WaitAsync(Wait);
        var result = await send.WaitAsync(Wait);

        Assert.Equal("m-1", delivery.Envelope.MessageId);
        Assert.Equal("agent-a", delivery.Envelope.FromAgent);
        Assert.Equal(WirePriority.High, delivery.Envelope.Priority);
        Assert.Equal("hi", Encoding.UTF8.GetString(delivery.Payload.Span));
        Assert.False(delivery.Redelivered);
        Assert.True(result.IsSuccess);
        Assert.False(result.Stored);
    }

    [Fact]
    public async Task SendAsync_WithoutConsumerAck_StaysPendingUntilAcked()
    {
        await using var host = await BusTestHost.StartAsync();
        await using var b = await host.ConnectAsync("agent-b", autoAck: false);
        await using var a = await host.ConnectAsync("agent-a");

        var send = a.SendAsync(a.CreateEnvelope("agent-b", "m-1"), default);
        var delivery = await b.ReceiveAsync().AsTask().WaitAsync(Wait);
        await a.PingAsync().WaitAsync(Wait);
        Assert.False(send.IsCompleted);

        b.Ack(delivery.Envelope.MessageId);
        Assert.True((await send.WaitAsync(Wait)).IsSuccess);
    }

    [Fact]
    public async Task SendAsync_RecipientOnAnotherSidecar_IsForwardedAndAckRelayed()
    {
        await using var host1 = await BusTestHost.StartAsync();
        await using var host2 = await BusTestHost.StartAsync();
        host1.Directory.Update(new Dictionary<string, string> { ["agent-b"] = host2.BusAddress });
        host2.Directory.Update(new Dictionary<string, string> { ["agent-a"] = host1.BusAddress });
        await using var a = await host1.ConnectAsync("agent-a");
        await using var b = await host2.ConnectAsync("agent-b");

        var there = await a.SendAsync(a.CreateEnvelope("agent-b", "q-1") with { MessageType = WireMessageType.Query }, "ping"u8.ToArray()).WaitAsync(Wait);
        var received = await b.ReceiveAsync().AsTask().WaitAsync(Wait);
        var back = await b.SendAsync(b.CreateEnvelope("agent-a", "r-1") with { MessageType = WireMessageType.Response }, "pong"u8.ToArray()).WaitAsync(Wait);
        var reply = await a.ReceiveAsync().AsTask().WaitAsync(Wait);

        Assert.True(there.IsSuccess);
        Assert.Equal("q-1", received.Envelope.MessageId);
        Assert.Equal("ping", Encoding.UTF8.GetString(received.Payload.Span));
        Assert.True(back.IsSuccess);
        Assert.Equal("r-1", reply.Envelope.MessageId);
        Assert.Equal(WireMessageType.Response, reply.Envelope.MessageType);
    }

    [Fact]
    public async Task SendAsync_Backlog_IsDeliveredCriticalHighNormalLow()
    {
        await using var host = await BusTestHost.StartAsync(new BusOptions { MaxInflight = 1 });
        await using var b = await host.ConnectAsync("agent-b", autoAck: false);
        await using var a = await host.ConnectAsync("agent-a");
        _ = a.SendAsync(a.CreateEnvelope("agent-b", "blocker"), default);
        var blocker = await b.ReceiveAsync().AsTask().WaitAsync(Wait);

        var plan = new (string Id, WirePriority Priority)[]
        {
            ("l1", WirePriority.Low), ("n1", WirePriority.Normal), ("h1", WirePriority.High), ("c1", WirePriority.Critical),
            ("l2", WirePriority.Low), ("c2", WirePriority.Critical), ("n2", WirePriority.Normal), ("h2", WirePriority.High),
        };
        var sends = plan.Select(p => a.SendAsync(a.CreateEnvelope("agent-b", p.Id) with { Priority = p.Priority }, default)).ToArray();
        await a.PingAsync().WaitAsync(Wait);

        b.Ack(blocker.Envelope.MessageId);
        var order = new List<string>();
        for (var i = 0; i < plan.Length; i++)
        {
            var next = await b.ReceiveAsync().AsTask().WaitAsync(Wait);
            order.Add(next.Envelope.MessageId);
            b.Ack(next.Envelope.MessageId);
        }

        Assert.Equal(["c1", "c2", "h1", "h2", "n1", "n2", "l1", "l2"], order);
        Assert.All(await Task.WhenAll(sends).WaitAsync(Wait), r => Assert.True(r.IsSuccess));
    }

    [Fact]
    public async Task SendAsync_UnknownRecipientWithoutStore_IsUnknownAgent()
    {
        await using var host = await BusTestHost.StartAsync();
        await using var a = await host.ConnectAsync("agent-a");

        var result = await a.SendAsync(a.CreateEnvelope("nobody"), default).WaitAsync(Wait);

        Assert.Equal(BusErrorCode.UnknownAgent, result.Code);
    }

    [Fact]
    public async Task ConnectAsync_SameAgentTwice_IsDuplicateRegistration()
    {
        await using var host = await BusTestHost.StartAsync();
        await using var first = await host.ConnectAsync("agent-a");

        var error = await Assert.ThrowsAsync<BusClientException>(() => host.ConnectAsync("agent-a"));

        Assert.Equal(BusErrorCode.DuplicateRegistration, error.Code);
    }

    [Fact]
    public async Task ConnectAsync_AfterDisconnect_CanRegisterAgain()
    {
        await using var host = await BusTestHost.StartAsync();
        var first = await host.ConnectAsync("agent-a");
        await first.DisposeAsync();

        BusClient? second = null;
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                second = await host.ConnectAsync("agent-a");
                return true;
            }
            catch (BusClientException e) when (e.Code == BusErrorCode.DuplicateRegistration)
            {
                return false; // the sidecar has not yet seen the first connection close
            }
        });

        Assert.NotNull(second);
        await second!.DisposeAsync();
    }
}
