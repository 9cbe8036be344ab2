// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Sockets;
using Acgs.Contracts.BusWire;
using Acgs.Core;
using Acgs.Sidecar.Bus;
using Acgs.Testing;
using Xunit;

namespace Acgs.Sidecar.Tests.Bus;

/// <summary>The bus's limits on real sockets: connection limit, register/frame/idle timeouts, byte budgets.</summary>
public class BusLimitsTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Connect_PastMaxConnections_GetsConnectionLimitAndIsClosedOthersKeepWorking()
    {
        await using var host = await BusRawHost.StartAsync(new BusOptions { MaxConnections = 2 });
        using var first = await host.RegisterAsync("agent-a");
        using var second = await host.RegisterAsync("agent-b");

        using var third = await host.ConnectAsync();
        var refused = await BusRawHost.ReadFrameAsync(third);
        var closed = await BusRawHost.ReadFrameAsync(third);

        Assert.Equal(BusErrorCode.ConnectionLimit, BusAgentAuthTests.ErrorCode(refused));
        Assert.Null(closed);
        Assert.Equal(1, host.Router.Metrics.ConnectionsRefused.WithLabels(BusMetrics.ConnectionLimitReason).Value);
        await BusRawHost.SendAsync(first, w => BusFrameWriter.WritePing(w, BusFrameType.Ping, 1));
        Assert.Equal((byte)BusFrameType.Pong, (await BusRawHost.ReadFrameAsync(first))![BusWireConstants.TypeOffset]);
    }

    [Fact]
    public async Task Connect_SlotFreedWhenAConnectionCloses_NextConnectionIsAccepted()
    {
        await using var host = await BusRawHost.StartAsync(new BusOptions { MaxConnections = 1 });
        using (await host.RegisterAsync("agent-a"))
        {
        }

        await Eventually.TrueAsync(() => host.Router.Connections == 0);
        using var again = await host.RegisterAsync("agent-a");

        Assert.Equal(1, host.Router.Connections);
    }

    [Fact]
    public async Task Connect_NoRegisterWithinTimeout_GetsTimeoutAndIsClosed()
    {
        await using var host = await BusRawHost.StartAsync(new BusOptions { RegisterTimeout = Short });
        using var idle = await host.ConnectAsync();

        var frame = await BusRawHost.ReadFrameAsync(idle);

        Assert.Equal(BusErrorCode.Timeout, BusAgentAuthTests.ErrorCode(frame));
        Assert.Null(await BusRawHost.ReadFrameAsync(idle));
        Assert.Equal(1, host.Router.Metrics.ConnectionsRefused.WithLabels(BusMetrics.RegisterTimeoutReason).Value);
    }

    [Fact]
    public async Task Send_PartialFrameNotCompletedWithinTimeout_GetsTimeoutAndIsClosed()
    {
        await using var host = await BusRawHost.StartAsync(new BusOptions { FrameTimeout = Short });
        using var agent = await host.RegisterAsync("agent-a");

        await agent.SendAsync(new byte[] { BusWireConstants.Magic, BusWireConstants.Version, (byte)BusFrameType.Send });
        var frame = await BusRawHost.ReadFrameAsync(agent);

        Assert.Equal(BusErrorCode.Timeout, BusAgentAuthTests.ErrorCode(frame));
        Assert.Null(await BusRawHost.ReadFrameAsync(agent));
        Assert.Equal(1, host.Router.Metrics.ConnectionsRefused.WithLabels(BusMetrics.FrameTimeoutReason).Value);
        Assert.Empty(host.Router.Agents);
    }

    [Fact]
    public async Task Idle_RegisteredConnectionSilent_IsPingedThenClosedWithTimeout()
    {
        await using var host = await BusRawHost.StartAsync(new BusOptions { IdleTimeout = TimeSpan.FromMilliseconds(600) });
        using var agent = await host.RegisterAsync("agent-a");

        var ping = await BusRawHost.ReadFrameAsync(agent);
        var last = await BusRawHost.ReadFrameAsync(agent);

        Assert.Equal((byte)BusFrameType.Ping, ping![BusWireConstants.TypeOffset]);
        Assert.Equal(BusErrorCode.Timeout, BusAgentAuthTests.ErrorCode(last));
        Assert.Null(await BusRawHost.ReadFrameAsync(agent));
        Assert.Equal(1, host.Router.Metrics.ConnectionsRefused.WithLabels(BusMetrics.IdleTimeoutReason).Value);
    }

    [Fact]
    public async Task Idle_ClientAnswersPings_StaysConnected()
    {
        // Pinged after 1 s of silence; the pong has a whole second to arrive even on a loaded machine.
        await using var host = await BusRawHost.StartAsync(new BusOptions { IdleTimeout = TimeSpan.FromSeconds(2) });
        using var agent = await host.RegisterAsync("agent-a");

        for (var i = 0; i < 3; i++)
        {
            var ping = await BusRawHost.ReadFrameAsync(agent);
            Assert.Equal((byte)BusFrameType.Ping, ping![BusWireConstants.TypeOffset]);
            await BusRawHost.SendAsync(agent, w => BusFrameWriter.WritePing(w, BusFrameType.Pong, 0));
        }

        Assert.Single(host.Router.Agents);
        Assert.Equal(0, host.Router.Metrics.ConnectionsRefused.WithLabels(BusMetrics.IdleTimeoutReason).Value);
    }

    [Fact]
    public async Task Send_ConsumerNeverReadsPastByteBudget_IsBusyAndBytesReleasedWhenConsumerLeaves()
    {
        const int payload = 256 * 1024;
        await using var host = await BusRawHost.StartAsync(new BusOptions { ConnectionQueueBytes = 2 * 1024 * 1024, TotalQueueBytes = 64 * 1024 * 1024 });
        var consumer = await host.RegisterAsync("agent-b", receiveBufferSize: 4096);
        using var producer = await host.RegisterAsync("agent-a");
        var body = new byte[payload];

        BusErrorCode? busy = null;
        for (var i = 0; i < 64 && busy is null; i++)
        {
            var id = "m-" + i;
            await BusRawHost.SendAsync(producer, w => BusFrameWriter.WriteMessage(w, BusFrameType.Send, BusAgentAuthTests.Envelope(id, "agent-a", "agent-b", "t1"), body));
            if (await ReadErrorOrNothingAsync(producer) is { } code)
            {
                busy = code;
            }
        }

        var held = host.Router.HeldBytes;
        consumer.Dispose();
        await Eventually.TrueAsync(() => host.Router.HeldBytes == 0);

        Assert.Equal(BusErrorCode.Busy, busy);
        Assert.InRange(held, 1, 2 * 1024 * 1024);
    }

    [Fact]
    public async Task Send_TotalByteBudgetHeldByAnotherConsumer_IsBusyForAnIdleRecipientToo()
    {
        await using var host = await BusRawHost.StartAsync(new BusOptions { ConnectionQueueBytes = 2 * 1024 * 1024, TotalQueueBytes = 2 * 1024 * 1024 });
        using var slow = await host.RegisterAsync("agent-b", receiveBufferSize: 4096);
        using var idle = await host.RegisterAsync("agent-c");
        using var producer = await host.RegisterAsync("agent-a");
        var body = new byte[256 * 1024];
        for (var i = 0; i < 64; i++)
        {
            var id = "m-" + i;
            await BusRawHost.SendAsync(producer, w => BusFrameWriter.WriteMessage(w, BusFrameType.Send, BusAgentAuthTests.Envelope(id, "agent-a", "agent-b", "t1"), body));
            if (await ReadErrorOrNothingAsync(producer) is not null)
            {
                break;
            }
        }

        await BusRawHost.SendAsync(producer, w => BusFrameWriter.WriteMessage(w, BusFrameType.Send, BusAgentAuthTests.Envelope("to-idle", "agent-a", "agent-c", "t1"), body));

        Assert.Equal(BusErrorCode.Busy, await ReadErrorOrNothingAsync(producer));
        Assert.Equal(0, host.Router.Sessions.Single(s => s.AgentId == "agent-c").HeldBytes);
    }

    /// <summary>After a send, the producer's answer when one is due (busy arrives at once; a queued message gets none until the consumer acks).</summary>
    private static async Task<BusErrorCode?> ReadErrorOrNothingAsync(Socket producer)
    {
        await BusRawHost.SendAsync(producer, w => BusFrameWriter.WritePing(w, BusFrameType.Ping, 9));
        var frame = await BusRawHost.ReadFrameAsync(producer);
        if (frame![BusWireConstants.TypeOffset] == (byte)BusFrameType.Pong)
        {
            return null;
        }

        var code = BusAgentAuthTests.ErrorCode(frame);
        Assert.Equal((byte)BusFrameType.Pong, (await BusRawHost.ReadFrameAsync(producer))![BusWireConstants.TypeOffset]);
        return code;
    }
}
