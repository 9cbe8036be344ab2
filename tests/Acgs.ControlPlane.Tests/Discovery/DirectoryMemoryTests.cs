// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Discovery;
using Acgs.ControlPlane.Hosting;
using Acgs.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.ControlPlane.Tests.Discovery;

/// <summary>
/// The directory outlives a restart (embedded store: <c>discovery.json</c>): the sidecars known before are served during
/// the warm-up, replaced as they register again, and the ones that never come back are dropped when it ends.
/// </summary>
public sealed class DirectoryMemoryTests : IDisposable
{
    private static readonly ControlPlaneOptions Options = new() { DiscoveryWarmUp = TimeSpan.FromSeconds(60) };
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero));

    private string MemoryFile => Path.Combine(_directory, "discovery.json");

    [Fact]
    public async Task ListAsync_RestartedWithMemory_ServesRememberedSidecarsAndAgentsUntilWarmUpEnds()
    {
        await RunBeforeRestartAsync(static async d =>
        {
            await d.RegisterAsync("svc-b", "b-1", "10.0.0.2:15006");
            await d.ReportAgentsAsync("svc-b", "b-1", "10.0.0.2:15010", ["agent-x"]);
        });

        using var restarted = new ServiceDirectory(Options, _time, memoryFile: MemoryFile);
        var changes = 0;
        restarted.Changed += () => changes++;

        var during = Assert.Single(await restarted.ListAsync());
        Assert.Equal(("svc-b", "10.0.0.2:15006", "10.0.0.2:15010"), (during.ServiceName, during.Address, during.BusAddress));
        Assert.Equal(["agent-x"], during.Agents);
        Assert.True(restarted.WarmingUp);

        _time.Advance(TimeSpan.FromSeconds(61));

        Assert.Empty(await restarted.ListAsync());
        Assert.Equal(1, changes);
        Assert.False(restarted.WarmingUp);
    }

    [Fact]
    public async Task RegisterAsync_RememberedSidecarReturns_KeptAfterWarmUp()
    {
        await RunBeforeRestartAsync(static async d =>
        {
            await d.RegisterAsync("svc-a", "a-1", "10.0.0.1:15006");
            await d.RegisterAsync("svc-b", "b-1", "10.0.0.2:15006");
        });

        using var restarted = new ServiceDirectory(Options, _time, memoryFile: MemoryFile);
        await restarted.RegisterAsync("svc-a", "a-1", "10.0.0.1:15006");
        Assert.Equal(["svc-a", "svc-b"], (await restarted.ListAsync()).Select(e => e.ServiceName).Order());
        Assert.Equal(1, restarted.RememberedCount);

        _time.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal("svc-a", Assert.Single(await restarted.ListAsync()).ServiceName);
    }

    [Fact]
    public async Task ListAsync_SidecarUnregisteredBeforeRestart_NotRemembered()
    {
        await RunBeforeRestartAsync(static async d =>
        {
            await d.RegisterAsync("svc-b", "b-1", "10.0.0.2:15006");
            await d.UnregisterAsync("svc-b", "b-1");
        });

        using var restarted = new ServiceDirectory(Options, _time, memoryFile: MemoryFile);

        Assert.Empty(await restarted.ListAsync());
    }

    [Fact]
    public async Task ListAsync_WarmUpOff_ForgetsThePreviousRun()
    {
        await RunBeforeRestartAsync(static d => d.RegisterAsync("svc-b", "b-1", "10.0.0.2:15006"));

        using var restarted = new ServiceDirectory(Options with { DiscoveryWarmUp = TimeSpan.Zero }, _time, memoryFile: MemoryFile);

        Assert.Empty(await restarted.ListAsync());
    }

    [Fact]
    public async Task ListAsync_MemoryFileUnreadable_StartsEmpty()
    {
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(MemoryFile, "{ not json");

        using var restarted = new ServiceDirectory(Options, _time, memoryFile: MemoryFile);

        Assert.Empty(await restarted.ListAsync());
        Assert.False(restarted.WarmingUp);
    }

    [Fact]
    public async Task RegisterAsync_SaveIntervalPasses_MemoryFileWritten()
    {
        using var directory = new ServiceDirectory(Options, _time, memoryFile: MemoryFile);
        await directory.RegisterAsync("svc-b", "b-1", "10.0.0.2:15006");

        _time.Advance(ServiceDirectory.SaveInterval);

        await Eventually.TrueAsync(() => File.Exists(MemoryFile) && File.ReadAllText(MemoryFile).Contains("svc-b", StringComparison.Ordinal), "the save timer wrote the directory");
    }

    public void Dispose()
    {
        // A directory's save may still be finishing its temporary file on the thread pool when the test ends: cleanup
        // tries again rather than failing a test that has passed.
        for (var attempt = 0; Directory.Exists(_directory); attempt++)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException) when (attempt < 20)
            {
                Thread.Sleep(50);
            }
        }
    }

    private async Task RunBeforeRestartAsync(Func<ServiceDirectory, Task> work)
    {
        using var before = new ServiceDirectory(Options, _time, memoryFile: MemoryFile);
        await work(before);
        await before.SaveAsync();
    }
}
