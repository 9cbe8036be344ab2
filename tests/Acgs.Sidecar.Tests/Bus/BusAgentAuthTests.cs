// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.BusWire;
using Acgs.Core;
using Xunit;

namespace Acgs.Sidecar.Tests.Bus;

/// <summary>Framed protocol: an agent sends only as itself, within its tenant, under an id the control plane accepts.</summary>
public class BusAgentAuthTests
{
    [Theory]
    [InlineData("agent with space")]
    [InlineData("agent\u0001ctl")]
    [InlineData("agent-é")]
    public async Task Register_AgentIdOutsideTheControlPlaneRule_IsInvalidAgentIdAndNotRegistered(string id)
    {
        await using var host = await BusRawHost.StartAsync();
        using var socket = await host.ConnectAsync();

        await BusRawHost.SendAsync(socket, w => BusFrameWriter.WriteRegister(w, id, "t1", AcgsConstants.ConstitutionalHash));
        var frame = await BusRawHost.ReadFrameAsync(socket);

        Assert.Equal(BusErrorCode.InvalidAgentId, ErrorCode(frame));
        Assert.Empty(host.Router.Agents);
        Assert.Equal(1, host.Router.Metrics.Messages.WithLabels("unparsed", "invalid_agent_id").Value);
    }

    [Fact]
    public async Task Send_FromAnotherAgent_IsAgentMismatchAndNotDelivered()
    {
        await using var host = await BusRawHost.StartAsync();
        using var victim = await host.RegisterAsync("agent-b");
        using var attacker = await host.RegisterAsync("agent-a");

        await BusRawHost.SendAsync(attacker, w => BusFrameWriter.WriteMessage(w, BusFrameType.Send, Envelope("m-1", "agent-c", "agent-b", "t1"), "x"u8));
        var answer = await BusRawHost.ReadFrameAsync(attacker);

        Assert.Equal(BusErrorCode.AgentMismatch, ErrorCode(answer));
        await AssertOnlyPongAsync(victim);
    }

    [Fact]
    public async Task Send_ToAgentOfAnotherTenant_IsTenantMismatchAndNotDelivered()
    {
        await using var host = await BusRawHost.StartAsync();
        using var other = await host.RegisterAsync("agent-b", "t2");
        using var sender = await host.RegisterAsync("agent-a", "t1");

        await BusRawHost.SendAsync(sender, w => BusFrameWriter.WriteMessage(w, BusFrameType.Send, Envelope("m-1", "agent-a", "agent-b", "t1"), "x"u8));
        var answer = await BusRawHost.ReadFrameAsync(sender);

        Assert.Equal(BusErrorCode.TenantMismatch, ErrorCode(answer));
        await AssertOnlyPongAsync(other);
    }

    [Fact]
    public async Task Send_ClaimingTheRecipientsTenant_IsTenantMismatch()
    {
        await using var host = await BusRawHost.StartAsync();
        using var other = await host.RegisterAsync("agent-b", "t2");
        using var sender = await host.RegisterAsync("agent-a", "t1");

        await BusRawHost.SendAsync(sender, w => BusFrameWriter.WriteMessage(w, BusFrameType.Send, Envelope("m-1", "agent-a", "agent-b", "t2"), "x"u8));

        Assert.Equal(BusErrorCode.TenantMismatch, ErrorCode(await BusRawHost.ReadFrameAsync(sender)));
        await AssertOnlyPongAsync(other);
    }

    internal static BusMessageEnvelope Envelope(string id, string from, string to, string tenant) =>
        new(id, from, to, tenant, AcgsConstants.ConstitutionalHash);

    internal static BusErrorCode ErrorCode(byte[]? frame)
    {
        Assert.NotNull(frame);
        Assert.Equal((byte)BusFrameType.Error, frame[BusWireConstants.TypeOffset]);
        Assert.Equal(BusErrorCode.None, BusFrameParser.ParseError(frame.AsSpan(BusWireConstants.HeaderSize), out var error));
        return error.Code;
    }

    private static async Task AssertOnlyPongAsync(System.Net.Sockets.Socket agent)
    {
        await BusRawHost.SendAsync(agent, w => BusFrameWriter.WritePing(w, BusFrameType.Ping, 7));
        var next = await BusRawHost.ReadFrameAsync(agent);
        Assert.NotNull(next);
        Assert.Equal((byte)BusFrameType.Pong, next[BusWireConstants.TypeOffset]);
    }
}
