// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Text;
using Xunit;

namespace Acgs.Bus.Client.Tests;

public class BusClientTraceContextTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task SendAsync_InsideAnActivity_RecipientGetsItsTraceContext()
    {
        await using var host = await BusTestHost.StartAsync();
        await using var a = await host.ConnectAsync("agent-a");
        await using var b = await host.ConnectAsync("agent-b");
        using var activity = new Activity("agent-a.work").SetIdFormat(ActivityIdFormat.W3C);
        activity.TraceStateString = "vendor=opaque";
        activity.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        activity.Start();

        var result = await a.SendAsync(a.CreateEnvelope("agent-b", "m-1"), Encoding.UTF8.GetBytes("hi")).WaitAsync(Wait);
        activity.Stop();
        var delivery = await b.ReceiveAsync().AsTask().WaitAsync(Wait);

        Assert.True(a.TraceContextAccepted);
        Assert.True(result.IsSuccess);
        Assert.Equal(activity.Id, delivery.TraceParent); // tracing off in the host: passed on unchanged
        Assert.Equal("vendor=opaque", delivery.TraceState);
        Assert.Equal(activity.TraceId, delivery.ParentContext.TraceId);
        Assert.Equal(activity.SpanId, delivery.ParentContext.SpanId);
        Assert.Equal("hi", Encoding.UTF8.GetString(delivery.Payload.Span));
    }

    [Fact]
    public async Task SendAsync_NoCurrentActivity_CarriesNoTraceContext()
    {
        await using var host = await BusTestHost.StartAsync();
        await using var a = await host.ConnectAsync("agent-a");
        await using var b = await host.ConnectAsync("agent-b");
        Activity.Current = null;

        await a.SendAsync(a.CreateEnvelope("agent-b", "m-1"), Encoding.UTF8.GetBytes("hi")).WaitAsync(Wait);
        var delivery = await b.ReceiveAsync().AsTask().WaitAsync(Wait);

        Assert.Null(delivery.TraceParent);
        Assert.Equal(default, delivery.ParentContext);
    }

    [Fact]
    public async Task SendAsync_ToAClientWithoutTraceContext_IsDeliveredWithoutIt()
    {
        await using var host = await BusTestHost.StartAsync();
        await using var a = await host.ConnectAsync("agent-a");
        await using var old = await BusClient.ConnectAsync(host.BusEndPoint, new BusClientOptions("agent-b") { TenantId = "t1", TraceContext = false });
        using var activity = new Activity("agent-a.work").SetIdFormat(ActivityIdFormat.W3C).Start();

        var result = await a.SendAsync(a.CreateEnvelope("agent-b", "m-1"), Encoding.UTF8.GetBytes("hi")).WaitAsync(Wait);
        activity.Stop();
        var delivery = await old.ReceiveAsync().AsTask().WaitAsync(Wait);

        Assert.False(old.TraceContextAccepted);
        Assert.True(result.IsSuccess);
        Assert.Null(delivery.TraceParent);
        Assert.Equal("hi", Encoding.UTF8.GetString(delivery.Payload.Span));
    }
}
