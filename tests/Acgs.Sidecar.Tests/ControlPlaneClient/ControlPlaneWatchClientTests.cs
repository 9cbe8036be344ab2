// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Sidecar.ControlPlaneClient;
using Acgs.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

public sealed class ControlPlaneWatchClientTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acgs-cp-client-tests", Guid.NewGuid().ToString("N"));

    private string LkgPath => Path.Combine(_directory, "lkg.json");

    private static ConfigSnapshot Snapshot(string version, string destination = "http://127.0.0.1:9") => new()
    {
        Version = version,
        ServiceName = "vector-search",
        Clusters = System.Collections.Immutable.ImmutableDictionary<string, ClusterConfig>.Empty.Add("audit-ledger", new ClusterConfig { Destinations = [destination] }),
        Routes = [new OutboundRoute { Host = "audit-ledger", Cluster = "audit-ledger" }],
    };

    private ControlPlaneWatchClient Client(Uri url, RecordingApplier applier, BreakerResetter? resetter = null, string? lkgPath = null) => new(
        new ControlPlaneClientOptions
        {
            Url = url,
            NodeId = "v1",
            ServiceName = "vector-search",
            InboundAddress = "127.0.0.1:15006",
            LastKnownGoodPath = lkgPath ?? LkgPath,
            BackoffMin = TimeSpan.FromMilliseconds(20),
            BackoffMax = TimeSpan.FromMilliseconds(100),
        },
        applier,
        TimeProvider.System,
        NullLogger<ControlPlaneWatchClient>.Instance,
        resetter);

    [Fact]
    public async Task Push_ValidSnapshot_AppliedAckedAndWrittenAsLastKnownGood()
    {
        await using var plane = await FakeControlPlane.StartAsync();
        var applier = new RecordingApplier();
        using var client = Client(plane.Address, applier);
        await client.StartAsync(default);

        plane.Push(Snapshot("1-a"), "nonce-1");
        var ack = await plane.NextAckAsync();
        await client.StopAsync(default);

        Assert.True((bool)ack["accepted"]!);
        Assert.Equal("1-a", (string?)ack["version"]);
        Assert.Equal("nonce-1", (string?)ack["nonce"]);
        Assert.Equal(ControlPlaneWatchClient.ControlPlaneSource, applier.Source);
        Assert.Equal("1-a", (await LastKnownGood.ReadAsync(LkgPath, default)).Snapshot?.Version);
    }

    [Fact]
    public async Task Push_LastKnownGoodUnwritable_AppliedAndAcked()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "not-a-directory"), "x"); // the file's parent is a file: every write fails
        await using var plane = await FakeControlPlane.StartAsync();
        var applier = new RecordingApplier();
        using var client = Client(plane.Address, applier, lkgPath: Path.Combine(_directory, "not-a-directory", "lkg.json"));
        await client.StartAsync(default);

        plane.Push(Snapshot("1-a"), "nonce-1");
        var ack = await plane.NextAckAsync();
        plane.Push(Snapshot("2-b"), "nonce-2");
        var second = await plane.NextAckAsync();
        await client.StopAsync(default);

        Assert.True((bool)ack["accepted"]!);
        Assert.True((bool)second["accepted"]!);
        Assert.Equal("2-b", applier.CurrentVersion);
    }

    [Fact]
    public async Task Push_InvalidSnapshot_NackedWithErrorsAndPreviousKeepsServing()
    {
        await using var plane = await FakeControlPlane.StartAsync();
        var applier = new RecordingApplier();
        using var client = Client(plane.Address, applier);
        await client.StartAsync(default);
        plane.Push(Snapshot("1-a"));
        await plane.NextAckAsync();

        plane.Push(Snapshot("2-b", destination: "not a url"));
        var nack = await plane.NextAckAsync();
        await client.StopAsync(default);

        Assert.False((bool)nack["accepted"]!);
        Assert.Contains("destinations", (string?)nack["errors"]![0], StringComparison.Ordinal);
        Assert.Equal("1-a", applier.CurrentVersion);
        Assert.Equal("1-a", (await LastKnownGood.ReadAsync(LkgPath, default)).Snapshot?.Version);
    }

    [Fact]
    public async Task ControlPlaneKilled_SidecarKeepsServingAndReconnects()
    {
        var plane = await FakeControlPlane.StartAsync();
        var applier = new RecordingApplier();
        using var client = Client(plane.Address, applier);
        await client.StartAsync(default);
        plane.Push(Snapshot("1-a"));
        await plane.NextAckAsync();

        await plane.DisposeAsync();
        await Eventually.TrueAsync(() => !client.Connected && client.Failures > 0);
        await client.StopAsync(default);

        Assert.Equal("1-a", applier.CurrentVersion);
    }

    [Fact]
    public async Task Start_ControlPlaneDownWithLastKnownGood_ServesLastKnownGood()
    {
        await LastKnownGood.WriteAsync(LkgPath, Snapshot("7-lkg"), default);
        var applier = new RecordingApplier();
        using var client = Client(new Uri("http://127.0.0.1:9"), applier);

        await client.StartAsync(default);
        await Eventually.TrueAsync(() => client.Failures > 0);
        await client.StopAsync(default);

        Assert.Equal("7-lkg", applier.CurrentVersion);
        Assert.Equal(ControlPlaneWatchClient.LastKnownGoodSource, applier.Source);
    }

    [Fact]
    public async Task Start_NoLastKnownGood_LeavesBootstrapServing()
    {
        var applier = new RecordingApplier();
        using var client = Client(new Uri("http://127.0.0.1:9"), applier);

        await client.StartAsync(default);
        await client.StopAsync(default);

        Assert.Null(applier.CurrentVersion);
    }

    [Theory]
    [InlineData(1, 0.999, 100)]
    [InlineData(3, 0.999, 400)]
    [InlineData(20, 0.999, 30_000)]
    public void Backoff_GrowsExponentiallyUpToTheCap(int attempt, double random, double expectedCeilingMs)
    {
        var delay = ControlPlaneWatchClient.Backoff(attempt, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), random);

        Assert.InRange(delay.TotalMilliseconds, expectedCeilingMs * 0.99, expectedCeilingMs);
        Assert.Equal(10, ControlPlaneWatchClient.Backoff(attempt, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), 0).TotalMilliseconds);
    }

    [Fact]
    public void Read_UrlWithoutServiceName_ReportsEveryError()
    {
        var variables = new Dictionary<string, string?> { ["ACGS_CONTROL_PLANE_URL"] = "ftp://x", ["ACGS_CONTROL_PLANE_BACKOFF_MIN_MS"] = "abc" };

        var options = ControlPlaneClientOptions.Read(name => variables.GetValueOrDefault(name), out var errors);

        Assert.Null(options);
        Assert.Equal(3, errors.Count);
        Assert.Null(ControlPlaneClientOptions.Read(_ => null, out var none));
        Assert.Empty(none);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Push_SnapshotWithBreakerReset_BreakerClosedAndAcked()
    {
        await using var plane = await FakeControlPlane.StartAsync();
        var registry = new Acgs.Core.CircuitBreaker.CircuitBreakerRegistry();
        registry.Get("audit-ledger").Isolate();
        using var client = Client(plane.Address, new RecordingApplier(), new BreakerResetter(registry, NullLogger<BreakerResetter>.Instance));
        await client.StartAsync(default);

        plane.Push(Snapshot("1-a+reset.4.2") with { BreakerResets = [new BreakerReset { Id = "4.2", Clusters = ["audit-ledger"] }] });
        var ack = await plane.NextAckAsync();
        await client.StopAsync(default);

        Assert.True((bool)ack["accepted"]!);
        Assert.Equal(Acgs.Core.CircuitBreaker.CircuitState.Closed, registry.Get("audit-ledger").State);
    }

    [Fact]
    public async Task Push_RejectedSnapshotWithBreakerReset_NackedAndBreakerStaysOpen()
    {
        await using var plane = await FakeControlPlane.StartAsync();
        var registry = new Acgs.Core.CircuitBreaker.CircuitBreakerRegistry();
        registry.Get("audit-ledger").Isolate();
        var applier = new RecordingApplier { Refuse = static _ => true };
        using var client = Client(plane.Address, applier, new BreakerResetter(registry, NullLogger<BreakerResetter>.Instance));
        await client.StartAsync(default);

        plane.Push(Snapshot("1-a+reset.4.2") with { BreakerResets = [new BreakerReset { Id = "4.2", Clusters = ["audit-ledger"] }] });
        var ack = await plane.NextAckAsync();
        await client.StopAsync(default);

        Assert.False((bool)ack["accepted"]!);
        Assert.Equal(Acgs.Core.CircuitBreaker.CircuitState.Open, registry.Get("audit-ledger").State);
    }
}
