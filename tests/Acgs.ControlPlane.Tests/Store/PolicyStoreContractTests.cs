// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Audit;
using Acgs.ControlPlane.Chaos;
using Acgs.ControlPlane.Store;

namespace Acgs.ControlPlane.Tests.Store;

/// <summary>The behaviour every <see cref="IPolicyStore"/> must have; run against both stores.</summary>
public abstract class PolicyStoreContractTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    internal abstract Task<IPolicyStore> CreateStoreAsync();

    internal static PolicyRecord Policy(string id, long revision = 1) =>
        new() { Id = id, Revision = revision, CreatedAt = Now, UpdatedAt = Now };

    internal static AuditDraft Draft(string id, string action = "policy.create") => new(Now, "admin", action, id, null, null);

    [Fact]
    public async Task CommitAsync_NewPolicy_IsReadBackAndAudited()
    {
        var store = await CreateStoreAsync();
        var result = await store.CommitAsync(null, Policy("a"), Draft("a"), default);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Equal("a", (await store.GetAsync("a", default))?.Id);
        var audit = await store.ReadAuditAsync(default);
        Assert.Single(audit);
        Assert.Equal(AuditChain.GenesisHash, audit[0].PreviousHash);
        Assert.Equal(1, await store.GetRevisionAsync(default));
    }

    internal static EmergencyStop Stop(string reason = "game day went wrong") => new() { Reason = reason, EngagedAt = Now, EngagedBy = "admin" };

    [Fact]
    public async Task SetEmergencyStopAsync_EngageThenLift_ReadBackAuditedAndRevisionBumped()
    {
        var store = await CreateStoreAsync();
        Assert.Null(await store.GetEmergencyStopAsync(default));

        var engaged = await store.SetEmergencyStopAsync(Stop(), Draft("chaos-emergency-stop", "chaos.emergency_stop.engage"), default);
        var whileEngaged = await store.GetEmergencyStopAsync(default);
        var lifted = await store.SetEmergencyStopAsync(null, Draft("chaos-emergency-stop", "chaos.emergency_stop.lift"), default);

        Assert.Equal(CommitStatus.Committed, engaged.Status);
        Assert.Equal(CommitStatus.Committed, lifted.Status);
        Assert.Equal(Stop(), whileEngaged);
        Assert.Null(await store.GetEmergencyStopAsync(default));
        Assert.Equal(2, await store.GetRevisionAsync(default));
        var audit = await store.ReadAuditAsync(default);
        Assert.Equal(["chaos.emergency_stop.engage", "chaos.emergency_stop.lift"], audit.Select(e => e.Action));
        Assert.True(AuditChain.Verify(audit).Valid);
    }

    [Fact]
    public async Task CommitAsync_UnlessEmergencyStopWhileEngaged_RefusedAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        await store.SetEmergencyStopAsync(Stop(), Draft("chaos-emergency-stop", "chaos.emergency_stop.engage"), default);

        var refused = await store.CommitAsync(null, Policy("chaos"), Draft("chaos"), unlessEmergencyStop: true, default);
        var allowed = await store.CommitAsync(null, Policy("breaker"), Draft("breaker"), unlessEmergencyStop: false, default);

        Assert.Equal(CommitStatus.EmergencyStop, refused.Status);
        Assert.Null(await store.GetAsync("chaos", default));
        Assert.Equal(CommitStatus.Committed, allowed.Status);
        Assert.Equal(2, (await store.ReadAuditAsync(default)).Count);
    }

    [Fact]
    public async Task CommitAsync_UnlessEmergencyStopAfterLift_Commits()
    {
        var store = await CreateStoreAsync();
        await store.SetEmergencyStopAsync(Stop(), Draft("chaos-emergency-stop", "chaos.emergency_stop.engage"), default);
        await store.SetEmergencyStopAsync(null, Draft("chaos-emergency-stop", "chaos.emergency_stop.lift"), default);

        var result = await store.CommitAsync(null, Policy("chaos"), Draft("chaos"), unlessEmergencyStop: true, default);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.NotNull(await store.GetAsync("chaos", default));
    }

    [Fact]
    public async Task CommitAsync_CreateTwice_SecondConflictsAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        await store.CommitAsync(null, Policy("a"), Draft("a"), default);

        var second = await store.CommitAsync(null, Policy("a") with { Description = "other" }, Draft("a"), default);

        Assert.Equal(CommitStatus.Conflict, second.Status);
        Assert.Null((await store.GetAsync("a", default))?.Description);
        Assert.Single(await store.ReadAuditAsync(default));
    }

    [Fact]
    public async Task CommitAsync_StaleExpectedRevision_Conflicts()
    {
        var store = await CreateStoreAsync();
        var v1 = Policy("a");
        await store.CommitAsync(null, v1, Draft("a"), default);
        await store.CommitAsync(v1, v1 with { Revision = 2, Description = "two" }, Draft("a", "x"), default);

        var stale = await store.CommitAsync(v1, v1 with { Revision = 2, Description = "stale" }, Draft("a", "y"), default);

        Assert.Equal(CommitStatus.Conflict, stale.Status);
        Assert.Equal("two", (await store.GetAsync("a", default))?.Description);
    }

    [Fact]
    public async Task ReadAuditAsync_ManyCommits_ChainVerifies()
    {
        var store = await CreateStoreAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.CommitAsync(null, Policy("p" + i), Draft("p" + i), default);
        }

        var audit = await store.ReadAuditAsync(default);

        Assert.Equal(5, audit.Count);
        Assert.True(AuditChain.Verify(audit).Valid);
        Assert.Equal([1L, 2, 3, 4, 5], audit.Select(e => e.Sequence));
    }

    [Fact]
    public async Task ListAsync_SeveralPolicies_OrderedById()
    {
        var store = await CreateStoreAsync();
        foreach (var id in new[] { "c", "a", "b" })
        {
            await store.CommitAsync(null, Policy(id), Draft(id), default);
        }

        Assert.Equal(["a", "b", "c"], (await store.ListAsync(default)).Select(p => p.Id));
    }

    [Fact]
    public async Task CommitAsync_ConcurrentWriters_ChainStaysLinear()
    {
        var store = await CreateStoreAsync();
        var tasks = Enumerable.Range(0, 8).Select(async i =>
        {
            while ((await store.CommitAsync(null, Policy("c" + i), Draft("c" + i), default)).Status != CommitStatus.Committed)
            {
            }
        });

        await Task.WhenAll(tasks);

        var audit = await store.ReadAuditAsync(default);
        Assert.Equal(8, audit.Count);
        Assert.True(AuditChain.Verify(audit).Valid);
    }

    [Fact]
    public async Task DeleteAsync_CurrentRevision_RemovesPolicyAuditsAndBumpsRevision()
    {
        var store = await CreateStoreAsync();
        await store.CommitAsync(null, Policy("a"), Draft("a"), default);
        await store.CommitAsync(null, Policy("b"), Draft("b"), default);

        var result = await store.DeleteAsync(Policy("a"), Draft("a", "policy.delete"), default);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Null(await store.GetAsync("a", default));
        Assert.Equal(["b"], (await store.ListAsync(default)).Select(p => p.Id));
        var audit = await store.ReadAuditAsync(default);
        Assert.Equal("policy.delete", audit[^1].Action);
        Assert.True(AuditChain.Verify(audit).Valid);
        Assert.Equal(3, await store.GetRevisionAsync(default));
        Assert.Equal(CommitStatus.Committed, (await store.CommitAsync(null, Policy("a"), Draft("a"), default)).Status); // the id can be created again
    }

    [Fact]
    public async Task DeleteAsync_StaleOrMissing_ConflictsAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        await store.CommitAsync(null, Policy("a"), Draft("a"), default);
        await store.CommitAsync(Policy("a"), Policy("a", 2), Draft("a", "policy.version.create"), default);

        var stale = await store.DeleteAsync(Policy("a"), Draft("a", "policy.delete"), default);
        var missing = await store.DeleteAsync(Policy("zz"), Draft("zz", "policy.delete"), default);

        Assert.Equal(CommitStatus.Conflict, stale.Status);
        Assert.Equal(CommitStatus.Conflict, missing.Status);
        Assert.NotNull(await store.GetAsync("a", default));
        Assert.Equal(2, (await store.ReadAuditAsync(default)).Count);
    }

    [Fact]
    public async Task GetAsync_Missing_ReturnsNull()
    {
        var store = await CreateStoreAsync();
        Assert.Null(await store.GetAsync("missing", default));
        Assert.True(await store.PingAsync(default));
    }
}
