// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Text;
using Acgs.Contracts.BusWire;
using Acgs.Contracts.Metering;
using Acgs.Core;
using Acgs.Sidecar.Metering;
using Acgs.Sidecar.Tests.Bus;

namespace Acgs.Sidecar.Tests.Metering;

/// <summary>Bus messages metered per tenant and agent where they enter the mesh: the HTTP API's and a local agent's sends, each once.</summary>
public sealed class BusUsageTests
{
    [Fact]
    public async Task Route_HttpAndAgentSends_CountedOncePerAgentAndTenant()
    {
        await using var host = await BusRawHost.StartAsync();
        var recorder = new UsageRecorder();
        host.Router.Usage = new BusUsage(recorder);
        using var recipient = await host.RegisterAsync("agent-b");
        using var agent = await host.RegisterAsync("agent-a");
        using var http = await host.SenderAsync("tool");

        for (var i = 0; i < 5; i++)
        {
            using var response = await http.PostAsync("v1/messages", new StringContent(
                "{\"from_agent\":\"tool\",\"to_agent\":\"agent-b\",\"tenant_id\":\"t1\",\"constitutional_hash\":\"cdd01ef066bc6cf2\"}", Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, response.StatusCode.ToString());
        }

        for (var i = 0; i < 3; i++)
        {
            await BusRawHost.SendAsync(agent, w => BusFrameWriter.WriteMessage(w, BusFrameType.Send,
                new BusMessageEnvelope("m-" + i, "agent-a", "agent-b", "t1", AcgsConstants.ConstitutionalHash), "{}"u8));
        }

        for (var i = 0; i < 8; i++)
        {
            Assert.Equal((byte)BusFrameType.Deliver, (await BusRawHost.ReadFrameAsync(recipient))![BusWireConstants.TypeOffset]);
        }

        var rows = recorder.Collect();

        Assert.All(rows, r => Assert.Equal((MeteringKinds.Bus, "agent-b", "t1", 2), (r.Kind, r.Operation, r.Tenant, r.StatusClass)));
        Assert.Equal(5, Assert.Single(rows, r => r.Source == "tool").Count);
        Assert.Equal(3, Assert.Single(rows, r => r.Source == "agent-a").Count);
        Assert.True(rows.TrueForAll(r => r.RequestBytes > 0));
    }
}
