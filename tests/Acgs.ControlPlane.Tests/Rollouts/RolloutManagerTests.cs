// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Rollouts;

namespace Acgs.ControlPlane.Tests.Rollouts;

/// <summary>The rollout step machine on fake time, over a real store, registry, directory and health aggregator.</summary>
public sealed class RolloutManagerTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ReconcileAsync_CanarySteps_AdvancesOnlyWhenEachPauseIsOver()
    {
        await using var harness = await RolloutHarness.StartAsync();
        var created = await harness.Manager.CreateAsync(
            RolloutHarness.Canary(new RolloutStepRequest(10, 60), new RolloutStepRequest(50, 60), new RolloutStepRequest(100, 0)), "admin", default);

        Assert.Equal(RolloutOutcome.Created, created.Outcome);
        Assert.Equal(10, await harness.GreenWeightAsync());
        Assert.Equal(90, (await harness.SplitAsync())!.BlueWeight);

        await harness.AdvanceAsync(TimeSpan.FromSeconds(59));
        Assert.Equal(10, await harness.GreenWeightAsync());

        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(50, await harness.GreenWeightAsync());
        var rollout = await harness.Manager.GetAsync(created.Rollout!.Id, default);
        Assert.Equal(1, rollout!.StepIndex);
        Assert.Equal(RolloutPhase.Progressing, rollout.Phase);

        await harness.AdvanceAsync(Minute);
        rollout = await harness.Manager.GetAsync(created.Rollout.Id, default);
        Assert.Equal(100, await harness.GreenWeightAsync());
        Assert.Equal(RolloutPhase.Succeeded, rollout!.Phase);
        Assert.True(rollout.PassedChecks >= 3);
        Assert.Equal(0, rollout.FailedChecks);
        Assert.Equal(1, await harness.MetricAsync("acgs_controlplane_rollouts{phase=\"succeeded\"}"));
        Assert.Equal(0, await harness.MetricAsync("acgs_controlplane_rollouts{phase=\"progressing\"}"));
        Assert.Equal(100, await harness.MetricAsync("acgs_controlplane_rollout_green_weight{service=\"checkout\"}"));
    }

    [Fact]
    public async Task ReconcileAsync_HealthDropOfGreen_RollsBackToFullBlueInOnePushWithReasonAudited()
    {
        await using var harness = await RolloutHarness.StartAsync();
        var request = RolloutHarness.Canary(new RolloutStepRequest(10, 30), new RolloutStepRequest(50, 600)) with
        {
            Analysis = new RolloutAnalysisRequest(IntervalSeconds: 5, FailureLimit: 1),
        };
        var id = (await harness.Manager.CreateAsync(request, "admin", default)).Rollout!.Id;
        await harness.AdvanceAsync(TimeSpan.FromSeconds(31));
        Assert.Equal(50, await harness.GreenWeightAsync());
        var versionsBefore = await harness.VersionCountAsync();

        harness.Report("checkout-v2", "green-1", closed: 1, open: 2); // score 0.33
        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(50, await harness.GreenWeightAsync()); // one failed check is within the limit
        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));

        var rollout = await harness.Manager.GetAsync(id, default);
        Assert.Equal(RolloutPhase.RolledBack, rollout!.Phase);
        Assert.Contains("health score of 'checkout-v2' is 0.333, below 0.7", rollout.Reason, StringComparison.Ordinal);
        var split = await harness.SplitAsync();
        Assert.Equal((100, 0), (split!.BlueWeight, split.GreenWeight));
        Assert.Equal(versionsBefore + 1, await harness.VersionCountAsync());
        var audit = (await harness.AuditAsync())[^1];
        Assert.Equal("policy.activate", audit.Action);
        Assert.Equal(RolloutManager.ControllerActor, audit.Actor);
        Assert.Equal("rollout.checkout", audit.PolicyId);
        Assert.Contains($"rollout={id}", audit.Detail, StringComparison.Ordinal);
        Assert.Contains("rollback: analysis failed 2 check(s) in a row", audit.Detail, StringComparison.Ordinal);
        Assert.Equal(1, await harness.MetricAsync("acgs_controlplane_rollout_rollbacks_total{reason=\"health_score\"}"));
        Assert.Equal(0, await harness.MetricAsync("acgs_controlplane_rollout_green_weight{service=\"checkout\"}"));

        await harness.AdvanceAsync(Minute);
        Assert.Equal(versionsBefore + 1, await harness.VersionCountAsync()); // a finished rollout writes nothing more
    }

    [Fact]
    public async Task ReconcileAsync_FailedCheckWithinLimit_HoldsStepUntilACheckPasses()
    {
        await using var harness = await RolloutHarness.StartAsync();
        var request = RolloutHarness.Canary(new RolloutStepRequest(10, 10), new RolloutStepRequest(100, 0)) with
        {
            Analysis = new RolloutAnalysisRequest(IntervalSeconds: 5, FailureLimit: 5),
        };
        var id = (await harness.Manager.CreateAsync(request, "admin", default)).Rollout!.Id;

        harness.Report("checkout-v2", "green-1", closed: 0, open: 1);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(20));
        var rollout = await harness.Manager.GetAsync(id, default);
        Assert.Equal(RolloutPhase.Progressing, rollout!.Phase);
        Assert.Equal(10, await harness.GreenWeightAsync());
        Assert.True(rollout.ConsecutiveFailures >= 3);

        harness.Report("checkout-v2", "green-1", closed: 1);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));
        rollout = await harness.Manager.GetAsync(id, default);
        Assert.Equal(RolloutPhase.Succeeded, rollout!.Phase);
        Assert.Equal(100, await harness.GreenWeightAsync());
    }

    [Fact]
    public async Task ReconcileAsync_GreenNeverReported_RollsBackForMissingHealthData()
    {
        await using var harness = await RolloutHarness.StartAsync();
        await harness.Directory.RegisterAsync("checkout-v3", "g3", "127.0.0.1:17003");
        var request = new CreateRolloutRequest(Service: "checkout", GreenCluster: "checkout-v3", Steps: [new RolloutStepRequest(10, 60)],
            Analysis: new RolloutAnalysisRequest(IntervalSeconds: 5, FailureLimit: 0));
        var id = (await harness.Manager.CreateAsync(request, "admin", default)).Rollout!.Id;

        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));

        var rollout = await harness.Manager.GetAsync(id, default);
        Assert.Equal(RolloutPhase.RolledBack, rollout!.Phase);
        Assert.Contains("no health reports for 'checkout-v3'", rollout.Reason, StringComparison.Ordinal);
        Assert.Equal(0, await harness.GreenWeightAsync());
        Assert.Equal(1, await harness.MetricAsync("acgs_controlplane_rollout_rollbacks_total{reason=\"no_health_data\"}"));
    }

    [Fact]
    public async Task ReconcileAsync_GreenSidecarFallsSilent_CountsAsOpenAndRollsBack()
    {
        await using var harness = await RolloutHarness.StartAsync();
        var request = RolloutHarness.Canary(new RolloutStepRequest(20, 600)) with { Analysis = new RolloutAnalysisRequest(IntervalSeconds: 5, FailureLimit: 0) };
        var id = (await harness.Manager.CreateAsync(request, "admin", default)).Rollout!.Id;
        await harness.AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(RolloutPhase.Progressing, (await harness.Manager.GetAsync(id, default))!.Phase);

        harness.Silence("checkout-v2", "green-1");
        await harness.AdvanceAsync(TimeSpan.FromSeconds(20));

        var rollout = await harness.Manager.GetAsync(id, default);
        Assert.Equal(RolloutPhase.RolledBack, rollout!.Phase);
        Assert.Contains("health score of 'checkout-v2' is 0", rollout.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "rolled_back")]
    [InlineData(false, "progressing")]
    public async Task ReconcileAsync_CallerSeesGreenBreakerOpen_RollsBackOnlyWithTheBreakerCheck(bool greenBreaker, string expected)
    {
        await using var harness = await RolloutHarness.StartAsync();
        var request = RolloutHarness.Canary(new RolloutStepRequest(10, 600)) with
        {
            Analysis = new RolloutAnalysisRequest(IntervalSeconds: 5, FailureLimit: 0, GreenBreaker: greenBreaker),
        };
        var id = (await harness.Manager.CreateAsync(request, "admin", default)).Rollout!.Id;
        for (var i = 0; i < 9; i++)
        {
            harness.ReportClusters("frontend", "f" + i, ("checkout", "closed"), ("checkout-v2", "closed"));
        }

        harness.ReportClusters("frontend", "f9", ("checkout", "closed"), ("checkout-v2", "open")); // frontend's score stays 0.95
        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));

        var rollout = await harness.Manager.GetAsync(id, default);
        Assert.Equal(expected, RolloutPhases.Name(rollout!.Phase));
        if (greenBreaker)
        {
            Assert.Equal("analysis failed 1 check(s) in a row (limit 0) at step 1/2, green at 10%: the breaker of 'checkout-v2' is open in 1 of 10 reporting sidecar(s)", rollout.Reason);
            Assert.Equal(1, await harness.MetricAsync("acgs_controlplane_rollout_rollbacks_total{reason=\"breaker_open\"}"));
        }
    }

    [Fact]
    public async Task PromoteAsync_Active_SwitchesToFullGreenAndSucceeds()
    {
        await using var harness = await RolloutHarness.StartAsync();
        var id = (await harness.Manager.CreateAsync(RolloutHarness.Canary(new RolloutStepRequest(10, 3600), new RolloutStepRequest(50, 3600)), "admin", default)).Rollout!.Id;

        var promoted = await harness.Manager.PromoteAsync(id, "admin", default);

        Assert.Equal(RolloutOutcome.Ok, promoted.Outcome);
        Assert.Equal(RolloutPhase.Succeeded, promoted.Rollout!.Phase);
        Assert.Equal("promoted by admin", promoted.Rollout.Reason);
        Assert.Equal(100, await harness.GreenWeightAsync());
        Assert.Contains("promoted by admin", (await harness.AuditAsync())[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AbortAsync_Active_RollsBackWithTheOperatorsReason()
    {
        await using var harness = await RolloutHarness.StartAsync();
        var id = (await harness.Manager.CreateAsync(RolloutHarness.Canary(new RolloutStepRequest(30, 3600)), "admin", default)).Rollout!.Id;
        Assert.Equal(30, await harness.GreenWeightAsync());

        var aborted = await harness.Manager.AbortAsync(id, "admin", "latency regression in checkout-v2", default);

        Assert.Equal(RolloutOutcome.Ok, aborted.Outcome);
        Assert.Equal(RolloutPhase.RolledBack, aborted.Rollout!.Phase);
        Assert.Equal("aborted by admin: latency regression in checkout-v2", aborted.Rollout.Reason);
        Assert.Equal(0, await harness.GreenWeightAsync());
        var audit = (await harness.AuditAsync())[^1];
        Assert.Equal("admin", audit.Actor);
        Assert.Contains("rollback: aborted by admin: latency regression in checkout-v2", audit.Detail, StringComparison.Ordinal);
        Assert.Equal(1, await harness.MetricAsync("acgs_controlplane_rollout_rollbacks_total{reason=\"aborted\"}"));
    }

    [Fact]
    public async Task AbortAsync_AtZeroWeight_StillWritesOneAuditedVersion()
    {
        await using var harness = await RolloutHarness.StartAsync();
        var request = new CreateRolloutRequest(Service: "checkout", BlueCluster: "checkout", GreenCluster: "checkout-v2", Strategy: RolloutStrategies.BlueGreen, PrePromotionSeconds: 600);
        var id = (await harness.Manager.CreateAsync(request, "admin", default)).Rollout!.Id;
        var before = await harness.VersionCountAsync();

        await harness.Manager.AbortAsync(id, "admin", null, default);

        Assert.Equal(before + 1, await harness.VersionCountAsync());
        Assert.Contains("rollback: aborted by admin", (await harness.AuditAsync())[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_SecondActiveRolloutForService_ReturnsActiveRolloutExists()
    {
        await using var harness = await RolloutHarness.StartAsync();
        var first = await harness.Manager.CreateAsync(RolloutHarness.Canary(new RolloutStepRequest(10, 3600)), "admin", default);
        var versions = await harness.VersionCountAsync();

        var second = await harness.Manager.CreateAsync(RolloutHarness.Canary(new RolloutStepRequest(20, 3600)), "admin", default);

        Assert.Equal(RolloutOutcome.ActiveRolloutExists, second.Outcome);
        Assert.Contains(first.Rollout!.Id, second.Errors[0], StringComparison.Ordinal);
        Assert.Equal(versions, await harness.VersionCountAsync());
        Assert.Equal(10, await harness.GreenWeightAsync());

        await harness.Manager.AbortAsync(first.Rollout.Id, "admin", null, default);
        var third = await harness.Manager.CreateAsync(RolloutHarness.Canary(new RolloutStepRequest(20, 3600)), "admin", default);
        Assert.Equal(RolloutOutcome.Created, third.Outcome);
    }

    [Fact]
    public async Task CreateAsync_UnknownClusters_ReturnsUnknownServiceAndWritesNothing()
    {
        await using var harness = await RolloutHarness.StartAsync();

        var result = await harness.Manager.CreateAsync(new CreateRolloutRequest(Service: "checkout", BlueCluster: "nope-blue", GreenCluster: "nope-green"), "admin", default);

        Assert.Equal(RolloutOutcome.UnknownService, result.Outcome);
        Assert.Equal(2, result.Errors.Count);
        Assert.StartsWith("blue_cluster: 'nope-blue'", result.Errors[0], StringComparison.Ordinal);
        Assert.StartsWith("green_cluster: 'nope-green'", result.Errors[1], StringComparison.Ordinal);
        Assert.Null(await harness.Store.GetAsync("rollout.checkout", default));
        Assert.Empty(await harness.Manager.ListAsync(null, null, default));
    }

    [Fact]
    public async Task CreateAsync_InvalidRequest_ReportsEveryErrorAndWritesNothing()
    {
        await using var harness = await RolloutHarness.StartAsync();
        var request = new CreateRolloutRequest(
            Service: "Check Out",
            GreenCluster: null,
            Steps: [new RolloutStepRequest(150, 10), null, new RolloutStepRequest(null, -1, true)],
            Analysis: new RolloutAnalysisRequest(IntervalSeconds: 0, MinHealthScore: 1.5, FailureLimit: -1));

        var result = await harness.Manager.CreateAsync(request, "admin", default);

        Assert.Equal(RolloutOutcome.Invalid, result.Outcome);
        Assert.Equal(
            [
                "service: must be 1-253 characters of lowercase letters, digits, '-', '.', '_'",
                "green_cluster: is required and must be 1-253 characters of lowercase letters, digits, '-', '.', '_'",
                "steps[0].weight: is required, a whole number 0-100 (percent of traffic to green)",
                "steps[1]: must be an object with weight",
                "steps[2].weight: is required, a whole number 0-100 (percent of traffic to green)",
                "steps[2].pause_seconds: must be 0-86400",
                "steps[2]: pause_seconds and wait_for_resume exclude each other",
                "analysis.interval_seconds: must be 0.05-3600",
                "analysis.min_health_score: must be 0-1",
                "analysis.failure_limit: must be 0-100 (failed checks in a row tolerated)",
            ],
            result.Errors);
        Assert.Equal(0, await harness.VersionCountAsync());
    }

    [Fact]
    public async Task PauseAsync_TimedStep_FreezesThePauseUntilResumed()
    {
        await using var harness = await RolloutHarness.StartAsync();
        var id = (await harness.Manager.CreateAsync(RolloutHarness.Canary(new RolloutStepRequest(10, 60), new RolloutStepRequest(50, 600)), "admin", default)).Rollout!.Id;
        await harness.AdvanceAsync(TimeSpan.FromSeconds(40));

        var paused = await harness.Manager.PauseAsync(id, "admin", default);
        Assert.Equal(RolloutPhase.Paused, paused.Rollout!.Phase);
        Assert.False((await harness.Manager.PauseAsync(id, "admin", default)).Changed);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(300));
        Assert.Equal(10, await harness.GreenWeightAsync());

        await harness.Manager.ResumeAsync(id, "admin", default);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(19));
        Assert.Equal(10, await harness.GreenWeightAsync());
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(50, await harness.GreenWeightAsync());
    }

    [Fact]
    public async Task ReconcileAsync_PausedRollout_StillRollsBackOnHealthDrop()
    {
        await using var harness = await RolloutHarness.StartAsync();
        var request = RolloutHarness.Canary(new RolloutStepRequest(10, 60)) with { Analysis = new RolloutAnalysisRequest(IntervalSeconds: 5, FailureLimit: 0) };
        var id = (await harness.Manager.CreateAsync(request, "admin", default)).Rollout!.Id;
        await harness.Manager.PauseAsync(id, "admin", default);

        harness.Report("checkout", "blue-1", closed: 0, open: 3);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));

        var rollout = await harness.Manager.GetAsync(id, default);
        Assert.Equal(RolloutPhase.RolledBack, rollout!.Phase);
        Assert.Contains("health score of 'checkout' is 0", rollout.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_BlueGreenWithoutAutoPromote_HoldsGreenAtZeroUntilResumed()
    {
        await using var harness = await RolloutHarness.StartAsync();
        var request = new CreateRolloutRequest(Service: "checkout", GreenCluster: "checkout-v2", Strategy: RolloutStrategies.BlueGreen, AutoPromote: false, PostPromotionSeconds: 30);

        var created = await harness.Manager.CreateAsync(request, "admin", default);
        Assert.Equal("checkout", created.Rollout!.Blue); // blue defaults to the service itself without a split
        Assert.Equal(RolloutPhase.Paused, created.Rollout.Phase);
        Assert.Equal(0, await harness.GreenWeightAsync());
        await harness.AdvanceAsync(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await harness.GreenWeightAsync());

        var resumed = await harness.Manager.ResumeAsync(created.Rollout.Id, "admin", default);
        Assert.Equal(100, await harness.GreenWeightAsync());
        Assert.Equal(RolloutPhase.Progressing, resumed.Rollout!.Phase);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(RolloutPhase.Succeeded, (await harness.Manager.GetAsync(created.Rollout.Id, default))!.Phase);
    }

    [Fact]
    public async Task CreateAsync_BlueGreenAfterPromotedRollout_TakesBlueFromTheCurrentSplit()
    {
        await using var harness = await RolloutHarness.StartAsync();
        var first = await harness.Manager.CreateAsync(RolloutHarness.Canary(new RolloutStepRequest(10, 60)), "admin", default);
        await harness.Manager.PromoteAsync(first.Rollout!.Id, "admin", default);
        await harness.Directory.RegisterAsync("checkout-v3", "g3", "127.0.0.1:17003");
        harness.Report("checkout-v3", "g3", closed: 1);

        var second = await harness.Manager.CreateAsync(
            new CreateRolloutRequest(Service: "checkout", GreenCluster: "checkout-v3", Strategy: RolloutStrategies.BlueGreen, PrePromotionSeconds: 20), "admin", default);

        Assert.Equal("checkout-v2", second.Rollout!.Blue);
        Assert.Equal("rollout.checkout", second.Rollout.PolicyId);
        var split = await harness.SplitAsync();
        Assert.Equal(("checkout-v2", 100, "checkout-v3", 0), (split!.BlueCluster, split.BlueWeight, split.GreenCluster, split.GreenWeight));
        await harness.AdvanceAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(100, (await harness.SplitAsync())!.GreenWeight);
    }

    [Fact]
    public async Task Actions_FinishedOrUnknownRollout_ReturnFinishedOrNotFound()
    {
        await using var harness = await RolloutHarness.StartAsync();
        var id = (await harness.Manager.CreateAsync(RolloutHarness.Canary(new RolloutStepRequest(10, 60)), "admin", default)).Rollout!.Id;
        await harness.Manager.AbortAsync(id, "admin", null, default);

        Assert.Equal(RolloutOutcome.Finished, (await harness.Manager.PromoteAsync(id, "admin", default)).Outcome);
        Assert.Equal(RolloutOutcome.Finished, (await harness.Manager.ResumeAsync(id, "admin", default)).Outcome);
        Assert.Equal(RolloutOutcome.NotFound, (await harness.Manager.PauseAsync("checkout-99", "admin", default)).Outcome);
        Assert.Equal(0, await harness.GreenWeightAsync());
    }

    [Fact]
    public async Task ListAsync_KeepFinished_DropsTheOldestFinishedRollouts()
    {
        await using var harness = await RolloutHarness.StartAsync(new RolloutOptions { KeepFinished = 1 });
        var first = (await harness.Manager.CreateAsync(RolloutHarness.Canary(new RolloutStepRequest(10, 60)), "admin", default)).Rollout!.Id;
        await harness.Manager.AbortAsync(first, "admin", null, default);
        var second = (await harness.Manager.CreateAsync(RolloutHarness.Canary(new RolloutStepRequest(10, 60)), "admin", default)).Rollout!.Id;
        await harness.Manager.AbortAsync(second, "admin", null, default);

        var held = await harness.Manager.ListAsync("checkout", RolloutPhase.RolledBack, default);

        Assert.Equal([second], held.Select(r => r.Id));
        Assert.Null(await harness.Manager.GetAsync(first, default));
    }
}
