// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Nodes;
using Acgs.Cli.Api;
using Acgs.Cli.Check;
using Acgs.Cli.Status;

namespace Acgs.Cli.Tests.Check;

public sealed class MeshChecksTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static MeshState State(DateTimeOffset? date, string meshStatus = "healthy", int open = 0)
    {
        ApiResponse Ok(JsonNode body) => new(200, body, date);
        return new MeshState(
            Ok(new JsonObject { ["status"] = "ready", ["store"] = "embedded reachable" }),
            Ok(new JsonObject { ["status"] = meshStatus, ["score"] = 0.5, ["open"] = open, ["silent_nodes"] = 0 }),
            Ok(new JsonObject { ["services"] = new JsonArray() }),
            Ok(new JsonArray()),
            Ok(new JsonObject { ["rollouts"] = new JsonArray() }),
            Ok(new JsonObject { ["tasks"] = new JsonArray() }),
            Ok(new JsonObject { ["engaged"] = false }),
            new ApiResponse(404, null, date),
            Ok(new JsonObject { ["chain_valid"] = true }));
    }

    [Fact]
    public void Run_ClockTenSecondsAhead_FailsClock()
    {
        var results = MeshChecks.Run(State(Now.AddSeconds(10)), Now);

        var clock = Assert.Single(results, r => r.Name == "clock");
        Assert.Equal(CheckResult.FailLevel, clock.Level);
    }

    [Fact]
    public void Run_ClockWithinOneSecond_ClockOk()
    {
        var results = MeshChecks.Run(State(Now.AddMilliseconds(900)), Now);

        Assert.Equal(CheckResult.OkLevel, Assert.Single(results, r => r.Name == "clock").Level);
    }

    [Fact]
    public void Run_MeshCritical_FailsHealth()
    {
        var results = MeshChecks.Run(State(Now, "critical", open: 3), Now);

        var health = Assert.Single(results, r => r.Name == "mesh health");
        Assert.Equal(CheckResult.FailLevel, health.Level);
        Assert.Contains("3 open breaker(s)", health.Detail);
    }

    [Fact]
    public void Run_IdentityOffAndNoSidecars_WarnsWithoutFailing()
    {
        var results = MeshChecks.Run(State(Now), Now);

        Assert.Equal(CheckResult.WarnLevel, Assert.Single(results, r => r.Name == "trust anchors").Level);
        Assert.Equal(CheckResult.WarnLevel, Assert.Single(results, r => r.Name == "sidecars").Level);
        Assert.DoesNotContain(results, r => r.Level == CheckResult.FailLevel);
    }
}
