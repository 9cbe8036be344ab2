// Constitutional Hash: cdd01ef066bc6cf2

using System.Text;
using Acgs.Contracts.BusWire;
using Acgs.Core;
using Acgs.Sidecar.Bus;
using Acgs.Testing;
using Xunit;

namespace Acgs.Sidecar.Tests.Bus;

public class BusAgentDirectoryTests
{
    [Fact]
    public void Update_ReplacesEveryEntryAndAddresses()
    {
        var directory = new BusAgentDirectory(new Dictionary<string, string> { ["a"] = "10.0.0.1:8080" });
        var calls = 0;
        directory.OnChanged(() => calls++);

        directory.Update(new Dictionary<string, string> { ["b"] = "10.0.0.2:8080" });

        Assert.False(directory.TryGetAddress("a"u8, out _));
        Assert.True(directory.TryGetAddress("b"u8, out var address));
        Assert.Equal("10.0.0.2:8080", address);
        Assert.False(directory.ContainsAddress("10.0.0.1:8080"));
        Assert.True(directory.ContainsAddress("10.0.0.2:8080"));
        Assert.Equal(1, directory.Version);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Update_AddressRemoved_PeerLinkIsDrainedAndClosed()
    {
        await using var host1 = await BusRawHost.StartAsync(new BusOptions { PeerDrainTimeout = TimeSpan.FromSeconds(5) });
        await using var host2 = await BusRawHost.StartAsync();
        host1.Router.Directory.Update(new Dictionary<string, string> { ["agent-b"] = host2.BusAddress });
        using var b = await host2.RegisterAsync("agent-b");
        using var a = await host1.RegisterAsync("agent-a");

        await BusRawHost.SendAsync(a, w => BusFrameWriter.WriteMessage(w, BusFrameType.Send, Envelope("m-1"), "x"u8));
        var delivered = await BusRawHost.ReadFrameAsync(b);
        Assert.Equal((byte)BusFrameType.Deliver, delivered![BusWireConstants.TypeOffset]);
        Assert.Contains(host2.BusAddress, host1.Router.PeerLinks.Addresses);
        Assert.Equal(2, host2.Router.SessionCount);

        host1.Router.Directory.Update(new Dictionary<string, string>());

        // The in-flight message is still answered through the draining link, then the link closes.
        await BusRawHost.SendAsync(b, w => BusFrameWriter.WriteAck(w, "m-1"));
        var ack = await BusRawHost.ReadFrameAsync(a);
        Assert.Equal((byte)BusFrameType.Ack, ack![BusWireConstants.TypeOffset]);
        Assert.DoesNotContain(host2.BusAddress, host1.Router.PeerLinks.Addresses);
        await Eventually.TrueAsync(() => host2.Router.SessionCount == 1);
        Assert.Equal(1, host2.Router.SessionCount);

        await BusRawHost.SendAsync(a, w => BusFrameWriter.WriteMessage(w, BusFrameType.Send, Envelope("m-2"), "x"u8));
        var error = await BusRawHost.ReadFrameAsync(a);
        Assert.Equal(BusErrorCode.None, BusFrameParser.ParseError(error.AsSpan(BusWireConstants.HeaderSize), out var view));
        Assert.Equal(BusErrorCode.UnknownAgent, view.Code);
        Assert.Equal("m-2", Encoding.UTF8.GetString(view.MessageId));
    }

    private static BusMessageEnvelope Envelope(string id) =>
        new(id, "agent-a", "agent-b", "t1", AcgsConstants.ConstitutionalHash) { ConversationId = "c", CreatedAtUnixMs = 1 };
}
