// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.ControlPlane;
using Xunit;

namespace Acgs.Contracts.Tests.ControlPlane;

public sealed class ControlPlaneRoutesTests
{
    [Fact]
    public void Paths_Names_AreTheApiPathsWithNamesEscaped()
    {
        Assert.Equal("/api/v1/discovery/ack", ControlPlaneRoutes.Ack);
        Assert.Equal("/api/v1/health/orders/node-1", ControlPlaneRoutes.NodeHealth("orders", "node-1"));
        Assert.Equal("/api/v1/discovery/orders/pod%2F1/agents", ControlPlaneRoutes.AgentReport("orders", "pod/1"));
        Assert.Equal(
            "/api/v1/discovery/watch?service=orders&node=n%201&address=%5B%3A%3A1%5D%3A15006",
            ControlPlaneRoutes.Watch("orders", "n 1", "[::1]:15006"));
    }

    [Fact]
    public void Templates_GroupPlusTemplate_MatchThePaths()
    {
        Assert.Equal(ControlPlaneRoutes.Ack, ControlPlaneRoutes.DiscoveryGroup + ControlPlaneRoutes.AckTemplate);
        Assert.Equal(
            ControlPlaneRoutes.NodeHealth("s", "n"),
            ControlPlaneRoutes.HealthGroup + ControlPlaneRoutes.NodeHealthTemplate.Replace("{service}", "s", StringComparison.Ordinal).Replace("{node}", "n", StringComparison.Ordinal));
        Assert.Equal(
            ControlPlaneRoutes.AgentReport("s", "n"),
            ControlPlaneRoutes.DiscoveryGroup + ControlPlaneRoutes.AgentReportTemplate.Replace("{service}", "s", StringComparison.Ordinal).Replace("{node}", "n", StringComparison.Ordinal));
        Assert.StartsWith(ControlPlaneRoutes.DiscoveryGroup + ControlPlaneRoutes.WatchTemplate + "?", ControlPlaneRoutes.Watch("s", "n", "a:1"), StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateWatch_EveryBadParameter_Listed()
    {
        Assert.Equal(["service", "node", "address"], SidecarNode.ValidateWatch("Bad!", null, "nope nope").Errors.Select(e => e.Path));
        Assert.True(SidecarNode.ValidateWatch("orders", "node-1", "127.0.0.1:15006").IsValid);
        Assert.Equal(["deltas"], SidecarNode.ValidateWatch("orders", "node-1", "127.0.0.1:15006", "yes").Errors.Select(e => e.Path));
        Assert.True(SidecarNode.ValidateWatch("orders", "node-1", "127.0.0.1:15006", "1").IsValid);
    }

    [Fact]
    public void ValidateDeregistration_BadNames_BothListed()
    {
        Assert.Equal(
            ["service: must be 1-253 characters of lowercase letters, digits, '-', '.', '_'", "node: must be 1-253 printable ASCII characters"],
            SidecarNode.ValidateDeregistration("Bad Name", "has space").Messages);
        Assert.True(SidecarNode.ValidateDeregistration("orders", "n1").IsValid);
    }

    [Fact]
    public void WatchLines_Heartbeat_IsTheLineSidecarsSkip()
    {
        Assert.Equal("{\"type\":\"heartbeat\"}\n", WatchLines.HeartbeatLine);
        Assert.Equal("application/x-ndjson", WatchLines.ContentType);
        Assert.NotEqual(WatchLines.SnapshotType, WatchLines.HeartbeatType);
    }
}
