// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Audit;
using Acgs.ControlPlane.Store;

namespace Acgs.ControlPlane.Tests.Store;

public sealed class EmbeddedPolicyStoreTests : PolicyStoreContractTests, IDisposable
{
    private readonly List<EmbeddedPolicyStore> _stores = [];
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();

    internal override async Task<IPolicyStore> CreateStoreAsync()
    {
        var store = new EmbeddedPolicyStore(_directory);
        await store.InitializeAsync(default);
        _stores.Add(store);
        return store;
    }

    [Fact]
    public async Task InitializeAsync_AfterRestart_LosesNothing()
    {
        var first = new EmbeddedPolicyStore(_directory);
        await first.InitializeAsync(default);
        await first.CommitAsync(null, Policy("kept"), Draft("kept"), default);
        var audit = await first.ReadAuditAsync(default);
        first.Dispose();

        var second = new EmbeddedPolicyStore(_directory);
        await second.InitializeAsync(default);
        _stores.Add(second);

        Assert.Equal("kept", (await second.GetAsync("kept", default))?.Id);
        Assert.Equal(audit, await second.ReadAuditAsync(default));
        Assert.Equal(1, await second.GetRevisionAsync(default));
        Assert.False(File.Exists(second.StatePath + ".tmp"));
    }

    [Fact]
    public async Task InitializeAsync_DirectoryInUse_Throws()
    {
        await CreateStoreAsync();
        using var other = new EmbeddedPolicyStore(_directory);

        await Assert.ThrowsAsync<InvalidOperationException>(() => other.InitializeAsync(default));
    }

    [Fact]
    public async Task InitializeAsync_LeftoverTempFile_IgnoredAndStateKept()
    {
        var first = new EmbeddedPolicyStore(_directory);
        await first.InitializeAsync(default);
        await first.CommitAsync(null, Policy("kept"), Draft("kept"), default);
        first.Dispose();
        await File.WriteAllTextAsync(first.StatePath + ".tmp", "{ torn");

        var second = new EmbeddedPolicyStore(_directory);
        await second.InitializeAsync(default);
        _stores.Add(second);

        Assert.NotNull(await second.GetAsync("kept", default));
        Assert.True(AuditChain.Verify(await second.ReadAuditAsync(default)).Valid);
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
