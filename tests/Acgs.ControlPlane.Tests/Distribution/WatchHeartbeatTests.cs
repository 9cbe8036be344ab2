// Constitutional Hash: cdd01ef066bc6cf2

using System.Runtime.ExceptionServices;

namespace Acgs.ControlPlane.Tests.Distribution;

/// <summary>
/// An idle watch stream writes a heartbeat line every interval without throwing: a periodic timer wakes the loop through its
/// channel instead of cancelling its wait (a cancelled wait throws where it completes: a replica with thousands of streams
/// would throw thousands of exceptions per interval). Runs alone: it counts the process's first-chance cancellation exceptions.
/// </summary>
[Collection(Name)]
public sealed class WatchHeartbeatTests : IAsyncLifetime
{
    public const string Name = "watch heartbeat (counts the process's exceptions)";
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await ControlPlaneHost.StartEmbeddedAsync(_directory, extra: new Dictionary<string, string?> { ["ACGS_WATCH_HEARTBEAT_SECONDS"] = "0.05" });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task RunAsync_IdleStreamOverTwentyHeartbeats_WritesThemAndThrowsNothing()
    {
        await using var watch = await WatchConnection.OpenAsync(_host.Address, "orders", "o1", "127.0.0.1:15006");
        await watch.NextSnapshotAsync();
        var thrown = 0;
        void Count(object? sender, FirstChanceExceptionEventArgs e)
        {
            // Any cancellation thrown in the process while only this idle stream runs (a cancelled wait's result is
            // thrown where the wait completes, on a timer thread, not under the stream loop).
            if (e.Exception is OperationCanceledException)
            {
                Interlocked.Increment(ref thrown);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            await watch.ReadHeartbeatsAsync(20, TimeSpan.FromSeconds(30));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        Assert.Equal(0, Volatile.Read(ref thrown));
    }
}

[CollectionDefinition(WatchHeartbeatTests.Name, DisableParallelization = true)]
public sealed class WatchHeartbeatRunsAlone;
