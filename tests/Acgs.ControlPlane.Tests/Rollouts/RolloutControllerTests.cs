// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Rollouts;
using Acgs.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Acgs.ControlPlane.Tests.Rollouts;

/// <summary>The background controller ticks on the injected TimeProvider.</summary>
public sealed class RolloutControllerTests
{
    [Fact]
    public async Task ExecuteAsync_FakeTimePassesATick_AdvancesTheRollout()
    {
        // An hour-long tick: only the fake clock can fire it within the test.
        await using var harness = await RolloutHarness.StartAsync(new RolloutOptions { TickInterval = TimeSpan.FromHours(1) });
        var request = RolloutHarness.Canary(new RolloutStepRequest(10, 5), new RolloutStepRequest(60, 86_400)) with
        {
            Analysis = new RolloutAnalysisRequest(RequireHealthData: false),
        };
        var id = (await harness.Manager.CreateAsync(request, "admin", default)).Rollout!.Id;
        using var controller = new RolloutController(harness.Manager, harness.Options, new Acgs.ControlPlane.Leadership.SoleLeadership(), harness.Time, NullLogger<RolloutController>.Instance);
        await controller.StartAsync(default);
        try
        {
            // ExecuteAsync starts on a background thread, so its timer may be created a little later: advance hour by hour.
            await Eventually.TrueAsync(
                async () =>
                {
                    if (await harness.GreenWeightAsync() == 60)
                    {
                        return true;
                    }

                    harness.Time.Advance(TimeSpan.FromHours(1));
                    return false;
                },
                "the controller advances the rollout on fake ticks");

            Assert.Equal(1, (await harness.Manager.GetAsync(id, default))!.StepIndex);
        }
        finally
        {
            await controller.StopAsync(default);
        }
    }
}
