// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Text;
using Acgs.ControlPlane.Policies;
using Acgs.ControlPlane.Store;
using Acgs.ControlPlane.Telemetry;
using Acgs.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Tests.Store;

/// <summary>A policy edited outside the control plane is never served: the embedded store refuses to start, Redis refuses the policy.</summary>
public sealed class StoreIntegrityTests : IClassFixture<RedisFixture>, IDisposable
{
    private const string Content = "{\"fail_max\":5}";
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private readonly RedisFixture _redis;

    public StoreIntegrityTests(RedisFixture redis) => _redis = redis;

    [Fact]
    public async Task InitializeAsync_HandEditedStateFile_ThrowsNamingFileAndPolicy()
    {
        var path = await WriteTamperedStoreAsync();

        using var store = new EmbeddedPolicyStore(_directory);
        var error = await Assert.ThrowsAsync<StoreIntegrityException>(() => store.InitializeAsync(default));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("policy 'breaker' version 1.0.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_HandEditedStateFile_ExitCode2AndOneLine()
    {
        var path = await WriteTamperedStoreAsync();

        var (exitCode, stdout, stderr) = await BuiltProgram.RunAsync(
            BuiltProgram.PathOf("controlplane/Acgs.ControlPlane", "Acgs.ControlPlane"),
            new Dictionary<string, string> { ["ACGS_DATA_DIR"] = _directory, ["ACGS_CONTROL_PLANE_PORT"] = FreePort.Get().ToString(System.Globalization.CultureInfo.InvariantCulture) },
            TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        var line = Assert.Single(stderr, static l => l.StartsWith("acgs-control-plane: ", StringComparison.Ordinal));
        Assert.Contains(path, line, StringComparison.Ordinal);
        Assert.Contains("policy 'breaker'", line, StringComparison.Ordinal);
        Assert.DoesNotContain(stderr.Concat(stdout), static l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetAsync_RedisDocumentEdited_PolicyNotServedAndCounted()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(_redis.Server.ConnectionString);
        var metrics = new ControlPlaneMetrics();
        var (store, prefix) = await CommittedRedisStoreAsync(connection, metrics);
        Assert.NotNull(await store.GetAsync("breaker", default));

        await EditDocumentAsync(connection, prefix);

        Assert.Null(await store.GetAsync("breaker", default));
        Assert.Empty(await store.ListAsync(default));
        Assert.Contains("acgs_controlplane_store_integrity_failures_total 2", await ExportAsync(metrics), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAsync_RedisDocumentEditedAfterARead_PolicyNotServedAndCountedOnEveryRead()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(_redis.Server.ConnectionString);
        var metrics = new ControlPlaneMetrics();
        var (store, prefix) = await CommittedRedisStoreAsync(connection, metrics);
        Assert.Single(await store.ListAsync(default)); // read and verified once: the same bytes again would not be hashed again

        await EditDocumentAsync(connection, prefix);

        Assert.Empty(await store.ListAsync(default));
        Assert.Null(await store.GetAsync("breaker", default));
        Assert.Empty(await store.ListAsync(default));
        Assert.Contains("acgs_controlplane_store_integrity_failures_total 3", await ExportAsync(metrics), StringComparison.Ordinal);
    }

    /// <summary>A Redis store under a fresh prefix whose integrity failures count in <paramref name="metrics"/>, holding the "breaker" policy.</summary>
    private static async Task<(RedisPolicyStore Store, string Prefix)> CommittedRedisStoreAsync(ConnectionMultiplexer connection, ControlPlaneMetrics metrics)
    {
        var prefix = "test:" + Guid.NewGuid().ToString("N") + ":";
        var store = new RedisPolicyStore(connection, prefix, new StoreIntegrityMonitor(metrics, NullLogger<StoreIntegrityMonitor>.Instance));
        await store.CommitAsync(null, Policy(), PolicyStoreContractTests.Draft("breaker"), default);
        return (store, prefix);
    }

    /// <summary>Edits the stored "breaker" document behind the store's back (its content no longer matches its hash).</summary>
    private static async Task EditDocumentAsync(ConnectionMultiplexer connection, string prefix)
    {
        var key = prefix + "policy:breaker";
        var doc = (string)(await connection.GetDatabase().HashGetAsync(key, "doc"))!;
        await connection.GetDatabase().HashSetAsync(key, "doc", doc.Replace("fail_max", "fail_mix", StringComparison.Ordinal));
    }

    private static async Task<string> ExportAsync(ControlPlaneMetrics metrics)
    {
        using var exported = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(exported);
        return Encoding.UTF8.GetString(exported.ToArray());
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static PolicyRecord Policy() => PolicyStoreContractTests.Policy("breaker") with
    {
        Versions = ImmutableArray.Create(new PolicyVersionRecord
        {
            Version = "1.0.0",
            Content = Content,
            ContentSha256 = CanonicalJson.Sha256(Encoding.UTF8.GetBytes(Content)),
            Status = PolicyVersionStatus.Active,
        }),
    };

    private async Task<string> WriteTamperedStoreAsync()
    {
        var first = new EmbeddedPolicyStore(_directory);
        await first.InitializeAsync(default);
        await first.CommitAsync(null, Policy(), PolicyStoreContractTests.Draft("breaker"), default);
        first.Dispose();
        var text = await File.ReadAllTextAsync(first.StatePath);
        Assert.Contains("fail_max", text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(first.StatePath, text.Replace("fail_max", "fail_mix", StringComparison.Ordinal));
        return first.StatePath;
    }
}
