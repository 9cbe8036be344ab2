// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using Acgs.Testing.Redis;

namespace Acgs.ControlPlane.Tests.Api;

/// <summary>Two replicas on one real redis-server share the CA, so each accepts the workload tokens the other issued, with the same scope.</summary>
public sealed class WorkloadTokenReplicaTests : IAsyncLifetime
{
    private readonly string _redisDirectory = ControlPlaneHost.NewDataDirectory();
    private RedisServer _redis = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_redisDirectory);
        _redis = await RedisServer.StartNewAsync(new RedisServerOptions { DataDirectory = _redisDirectory });
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        Directory.Delete(_redisDirectory, recursive: true);
    }

    [Fact]
    public async Task Token_IssuedByOtherReplica_AcceptedForOwnServiceOnly()
    {
        await using var first = await StartReplicaAsync("r1");
        await using var second = await StartReplicaAsync("r2");
        using var orders = WorkloadClients.Client(second.Address, await WorkloadClients.TokenAsync(first, "orders", "orders-1"));

        using var watch = await orders.GetAsync("/api/v1/discovery/watch?service=orders&node=orders-1&address=127.0.0.1:15006", HttpCompletionOption.ResponseHeadersRead);
        var report = await orders.PutAsJsonAsync("/api/v1/health/orders/orders-1", WorkloadClients.HealthReport("closed"));
        var forbidden = await orders.PutAsJsonAsync("/api/v1/health/audit-ledger/orders-1", WorkloadClients.HealthReport("open"));

        Assert.Equal(HttpStatusCode.OK, watch.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, report.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    private Task<ControlPlaneHost> StartReplicaAsync(string name) => ControlPlaneHost.StartAsync(new Dictionary<string, string?>
    {
        ["REDIS_URL"] = _redis.Url,
        ["ACGS_ADMIN_TOKEN"] = ControlPlaneHost.AdminToken,
        ["ACGS_REPLICA_ID"] = name,
        ["ACGS_DATA_DIR"] = Path.Combine(_redisDirectory, name),
        ["ACGS_SIDECAR_AUTH"] = "identity",
    });
}
