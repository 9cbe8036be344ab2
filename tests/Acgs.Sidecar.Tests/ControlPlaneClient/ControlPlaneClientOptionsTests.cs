// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.ControlPlaneClient;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

public sealed class ControlPlaneClientOptionsTests
{
    [Fact]
    public void Read_AdvertiseAddressSet_AdvertisesItWhileTheListenerBindsTheWildcard()
    {
        var options = Read(new Dictionary<string, string>
        {
            ["ACGS_INBOUND_ADDRESS"] = "0.0.0.0",
            ["ACGS_INBOUND_ADVERTISE_ADDRESS"] = "10.1.2.3",
        });

        Assert.Equal("10.1.2.3:15006", options.InboundAddress);
    }

    [Fact]
    public void Read_AdvertiseAddressWithPort_IsUsedAsIs()
    {
        var options = Read(new Dictionary<string, string>
        {
            ["ACGS_INBOUND_ADVERTISE_ADDRESS"] = "orders.internal:9000",
            ["ACGS_INBOUND_PORT"] = "15006",
        });

        Assert.Equal("orders.internal:9000", options.InboundAddress);
    }

    [Fact]
    public void Read_NoAdvertiseAddress_DerivesItFromTheInboundAddress()
    {
        Assert.Equal("10.9.8.7:16000", Read(new Dictionary<string, string> { ["ACGS_INBOUND_ADDRESS"] = "10.9.8.7", ["ACGS_INBOUND_PORT"] = "16000" }).InboundAddress);
        Assert.Equal(Environment.MachineName.ToLowerInvariant() + ":15006", Read(new Dictionary<string, string> { ["ACGS_INBOUND_ADDRESS"] = "0.0.0.0" }).InboundAddress);
    }

    [Theory]
    [InlineData("Orders")]
    [InlineData("orders svc")]
    [InlineData("inbound|orders")]
    public void Read_ServiceNameTheControlPlaneRefuses_ErrorAtStart(string service)
    {
        var variables = new Dictionary<string, string?> { ["ACGS_CONTROL_PLANE_URL"] = "http://127.0.0.1:8000", ["ACGS_SERVICE_NAME"] = service };

        Assert.Null(ControlPlaneClientOptions.Read(name => variables.GetValueOrDefault(name), out var errors));
        Assert.Equal("ACGS_SERVICE_NAME: must be 1-253 characters of lowercase letters, digits, '-', '.', '_' (the control plane refuses any other) (got '" + service + "')", Assert.Single(errors));
    }

    private static ControlPlaneClientOptions Read(Dictionary<string, string> variables)
    {
        variables["ACGS_CONTROL_PLANE_URL"] = "http://127.0.0.1:8000";
        variables["ACGS_SERVICE_NAME"] = "orders";
        var options = ControlPlaneClientOptions.Read(name => variables.GetValueOrDefault(name), out var errors);
        Assert.Empty(errors);
        return Assert.IsType<ControlPlaneClientOptions>(options);
    }
}
