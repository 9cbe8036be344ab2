// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Rollouts;

namespace Acgs.ControlPlane.Tests.Rollouts;

/// <summary>Rollouts survive a control-plane restart through rollouts.json beside the embedded store.</summary>
public sealed class RolloutPersistenceTests
{
    [Fact]
    public async Task Restart_ActiveRollout_IsRestoredAndContinuesAfterTheWarmUp()
    {
        await using var harness = await RolloutHarness.StartAsync();
        var request = RolloutHarness.Canary(new RolloutStepRequest(10, 20), new RolloutStepRequest(50, 600)) with
        {
            Analysis = new RolloutAnalysisRequest(IntervalSeconds: 5, FailureLimit: 0),
        };
        var id = (await harness.Manager.CreateAsync(request, "admin", default)).Rollout!.Id;
        await harness.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.True(File.Exists(harness.StatePath));

        harness.Restart();
        var restored = await harness.Manager.GetAsync(id, default);
        Assert.Equal(RolloutPhase.Progressing, restored!.Phase);
        Assert.Equal(10, restored.GreenWeight);
        Assert.Equal("restored", restored.Events[^1].Type);

        // A check is due, and the new aggregation has no reports yet: without the warm-up it would fail and, at limit 0, roll back.
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await harness.Manager.ReconcileAsync(default);
        Assert.Equal(RolloutPhase.Progressing, (await harness.Manager.GetAsync(id, default))!.Phase);
        Assert.Null(harness.Health.Service("checkout-v2"));

        await harness.AdvanceAsync(TimeSpan.FromSeconds(20));
        var after = await harness.Manager.GetAsync(id, default);
        Assert.Equal(RolloutPhase.Progressing, after!.Phase);
        Assert.Equal(50, await harness.GreenWeightAsync());

        var second = await harness.Manager.CreateAsync(RolloutHarness.Canary(new RolloutStepRequest(5, 60)), "admin", default);
        Assert.Equal(RolloutOutcome.ActiveRolloutExists, second.Outcome); // the restored rollout still guards its service
    }

    [Fact]
    public async Task Restart_FinishedRolloutsAndSequence_AreKept()
    {
        await using var harness = await RolloutHarness.StartAsync();
        var first = (await harness.Manager.CreateAsync(RolloutHarness.Canary(new RolloutStepRequest(10, 60)), "admin", default)).Rollout!.Id;
        await harness.Manager.AbortAsync(first, "admin", "bad build", default);

        harness.Restart();

        var kept = await harness.Manager.GetAsync(first, default);
        Assert.Equal(RolloutPhase.RolledBack, kept!.Phase);
        Assert.Equal("aborted by admin: bad build", kept.Reason);
        var next = await harness.Manager.CreateAsync(RolloutHarness.Canary(new RolloutStepRequest(10, 60)), "admin", default);
        Assert.NotEqual(first, next.Rollout!.Id);
    }

    [Fact]
    public async Task Restart_UnreadableStateFile_StartsEmptyAndMovesItAside()
    {
        await using var harness = await RolloutHarness.StartAsync();
        await File.WriteAllTextAsync(harness.StatePath, "{ not json");

        harness.Restart();

        Assert.Empty(await harness.Manager.ListAsync(null, null, default));
        Assert.True(File.Exists(harness.StatePath + ".unreadable"));
    }
}
