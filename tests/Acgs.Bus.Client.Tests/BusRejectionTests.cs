// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.BusWire;
using Acgs.Sidecar.Bus;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Acgs.Bus.Client.Tests;

public class BusRejectionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task SendAsync_AlreadyExpired_IsExpiredAndNotDelivered()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await BusTestHost.StartAsync(time: time);
        await using var b = await host.ConnectAsync("agent-b");
        await using var a = await host.ConnectAsync("agent-a");
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();

        var result = await a.SendAsync(a.CreateEnvelope("agent-b", "old") with { ExpiresAtUnixMs = now - 1 }, default).WaitAsync(Wait);
        var after = await a.SendAsync(a.CreateEnvelope("agent-b", "fresh"), default).WaitAsync(Wait);

        Assert.Equal(BusErrorCode.Expired, result.Code);
        Assert.True(after.IsSuccess);
        Assert.Equal("fresh", (await b.ReceiveAsync().AsTask().WaitAsync(Wait)).Envelope.MessageId);
    }

    [Fact]
    public async Task SendAsync_ExpiresWhileQueued_IsExpiredAndNeverDelivered()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await BusTestHost.StartAsync(new BusOptions { MaxInflight = 1 }, time: time);
        await using var b = await host.ConnectAsync("agent-b", autoAck: false);
        await using var a = await host.ConnectAsync("agent-a");
        _ = a.SendAsync(a.CreateEnvelope("agent-b", "blocker"), default);
        var blocker = await b.ReceiveAsync().AsTask().WaitAsync(Wait);
        var expiring = a.SendAsync(a.CreateEnvelope("agent-b", "short") with { ExpiresAtUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds() + 5_000 }, default);
        var lasting = a.SendAsync(a.CreateEnvelope("agent-b", "long") with { Priority = WirePriority.Low }, default);
        await a.PingAsync().WaitAsync(Wait);

        time.Advance(TimeSpan.FromSeconds(10));
        b.Ack(blocker.Envelope.MessageId);

        Assert.Equal(BusErrorCode.Expired, (await expiring.WaitAsync(Wait)).Code);
        var next = await b.ReceiveAsync().AsTask().WaitAsync(Wait);
        Assert.Equal("long", next.Envelope.MessageId);
        b.Ack(next.Envelope.MessageId);
        Assert.True((await lasting.WaitAsync(Wait)).IsSuccess);
    }

    [Fact]
    public async Task SendAsync_RecipientInAnotherTenant_IsTenantMismatch()
    {
        await using var host = await BusTestHost.StartAsync();
        await using var b = await host.ConnectAsync("agent-b", tenant: "t2");
        await using var a = await host.ConnectAsync("agent-a", tenant: "t1");

        var result = await a.SendAsync(a.CreateEnvelope("agent-b"), default).WaitAsync(Wait);

        Assert.Equal(BusErrorCode.TenantMismatch, result.Code);
    }

    [Fact]
    public async Task SendAsync_MessageTenantDiffersFromSenderRegistration_IsTenantMismatch()
    {
        await using var host = await BusTestHost.StartAsync();
        await using var b = await host.ConnectAsync("agent-b", tenant: "t2");
        await using var a = await host.ConnectAsync("agent-a", tenant: "t1");

        var result = await a.SendAsync(a.CreateEnvelope("agent-b") with { TenantId = "t2" }, default).WaitAsync(Wait);

        Assert.Equal(BusErrorCode.TenantMismatch, result.Code);
    }

    [Fact]
    public async Task SendAsync_SpoofedFromAgent_IsAgentMismatch()
    {
        await using var host = await BusTestHost.StartAsync();
        await using var b = await host.ConnectAsync("agent-b");
        await using var a = await host.ConnectAsync("agent-a");

        var result = await a.SendAsync(a.CreateEnvelope("agent-b") with { FromAgent = "agent-c" }, default).WaitAsync(Wait);

        Assert.Equal(BusErrorCode.AgentMismatch, result.Code);
    }

    [Fact]
    public async Task SendAsync_WrongOrMissingHash_IsRejectedAndNeverDelivered()
    {
        await using var host = await BusTestHost.StartAsync();
        await using var b = await host.ConnectAsync("agent-b");
        await using var a = await host.ConnectAsync("agent-a");
        var wrong = new string('0', 16);

        var mismatch = await a.SendAsync(a.CreateEnvelope("agent-b", "w1") with { ConstitutionalHash = wrong }, default).WaitAsync(Wait);
        var malformed = await a.SendAsync(a.CreateEnvelope("agent-b", "w2") with { ConstitutionalHash = "CDD01EF066BC6CF2" }, default).WaitAsync(Wait);
        var missing = await a.SendAsync(a.CreateEnvelope("agent-b", "w3") with { ConstitutionalHash = string.Empty }, default).WaitAsync(Wait);
        var good = await a.SendAsync(a.CreateEnvelope("agent-b", "ok"), default).WaitAsync(Wait);

        Assert.Equal(BusErrorCode.HashMismatch, mismatch.Code);
        Assert.Equal(BusErrorCode.HashMismatch, malformed.Code);
        Assert.Equal(BusErrorCode.HashMissing, missing.Code);
        Assert.True(good.IsSuccess);
        Assert.Equal("ok", (await b.ReceiveAsync().AsTask().WaitAsync(Wait)).Envelope.MessageId);
    }

    [Fact]
    public async Task ConnectAsync_WrongHash_IsRefused()
    {
        await using var host = await BusTestHost.StartAsync();

        var error = await Assert.ThrowsAsync<BusClientException>(() => BusClient.ConnectAsync(
            host.BusEndPoint, new BusClientOptions("agent-a") { ConstitutionalHash = new string('1', 16) }));

        Assert.Equal(BusErrorCode.HashMismatch, error.Code);
    }

    [Fact]
    public async Task SendAsync_SlowConsumerQueueFull_IsBusyNeverDropped()
    {
        await using var host = await BusTestHost.StartAsync(new BusOptions { MaxInflight = 1, LaneCapacity = 2 });
        await using var b = await host.ConnectAsync("agent-b", autoAck: false);
        await using var a = await host.ConnectAsync("agent-a");
        var blocker = a.SendAsync(a.CreateEnvelope("agent-b", "blocker"), default);
        await b.ReceiveAsync().AsTask().WaitAsync(Wait);

        var queued = new[] { a.SendAsync(a.CreateEnvelope("agent-b", "q1"), default), a.SendAsync(a.CreateEnvelope("agent-b", "q2"), default) };
        var overflow = await a.SendAsync(a.CreateEnvelope("agent-b", "q3"), default).WaitAsync(Wait);
        var critical = a.SendAsync(a.CreateEnvelope("agent-b", "c1") with { Priority = WirePriority.Critical }, default);

        await a.PingAsync().WaitAsync(Wait);

        Assert.Equal(BusErrorCode.Busy, overflow.Code);
        b.Ack("blocker");
        var delivered = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var next = await b.ReceiveAsync().AsTask().WaitAsync(Wait);
            delivered.Add(next.Envelope.MessageId);
            b.Ack(next.Envelope.MessageId);
        }

        Assert.Equal(["c1", "q1", "q2"], delivered);
        Assert.True((await blocker.WaitAsync(Wait)).IsSuccess);
        Assert.All(await Task.WhenAll(queued.Append(critical)).WaitAsync(Wait), r => Assert.True(r.IsSuccess));
    }
}
