// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.Contracts.Discovery;
using Acgs.Contracts.Serialization;
using Xunit;

namespace Acgs.Contracts.Tests.Discovery;

public sealed class WireContractTests
{
    [Fact]
    public void SnapshotAck_Nack_WritesTheFieldsTheControlPlaneReads()
    {
        var json = JsonSerializer.Serialize(SnapshotAck.Answer("orders", "n1", "3-abc", "nonce-1", ["clusters.x: bad"]), AcgsJsonContext.Default.SnapshotAck);

        Assert.Equal("""{"service_name":"orders","node_id":"n1","version":"3-abc","nonce":"nonce-1","accepted":false,"errors":["clusters.x: bad"]}""", json);
    }

    [Fact]
    public void SnapshotAck_HandWrittenAckWithNullNonce_ReadsAndIsValid()
    {
        var ack = JsonSerializer.Deserialize("""{"service_name":"orders","node_id":"n1","version":"3-abc","nonce":null,"accepted":true,"errors":[]}""", AcgsJsonContext.Default.SnapshotAck)!;

        Assert.True(ack.Accepted);
        Assert.Null(ack.Nonce);
        Assert.True(SnapshotAckValidator.Validate(ack).IsValid);
    }

    [Fact]
    public void SnapshotAckValidator_MissingFields_EachListed()
    {
        Assert.Equal(["service_name", "node_id", "version"], SnapshotAckValidator.Validate(new SnapshotAck("Bad!", "", null, null, true, null)).Errors.Select(e => e.Path));
        Assert.Equal(["body"], SnapshotAckValidator.Validate(null).Errors.Select(e => e.Path));
    }

    [Fact]
    public void BusAgentReport_RoundTrip_KeepsTheWireNames()
    {
        var json = JsonSerializer.Serialize(new BusAgentReport("10.0.0.5:8080", ["agent-a", "agent-b"]), AcgsJsonContext.Default.BusAgentReport);

        Assert.Equal("""{"bus_address":"10.0.0.5:8080","agents":["agent-a","agent-b"]}""", json);
        Assert.Equal(["agent-a", "agent-b"], JsonSerializer.Deserialize(json, AcgsJsonContext.Default.BusAgentReport)!.Agents!);
    }

    [Fact]
    public void BusAgentReportValidator_BadFields_EachListed()
    {
        var result = BusAgentReportValidator.Validate("Bad Name", "n1", new BusAgentReport("bus.local:8080", ["ok", "", "has space"]));

        Assert.Equal(["service", "bus_address", "agents[1]", "agents[2]"], result.Errors.Select(e => e.Path));
        Assert.Equal(["agents"], BusAgentReportValidator.Validate("orders", "n1", new BusAgentReport("10.0.0.5:8080", null)).Errors.Select(e => e.Path));
        Assert.True(BusAgentReportValidator.Validate("orders", "n1", new BusAgentReport("[::1]:8080", [])).IsValid);
    }
}
