// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.Testing;
using Acgs.Testing.Redis;

namespace Acgs.ControlPlane.Tests.Api;

/// <summary>The control plane on a real redis-server (with append-only persistence), restarted under it.</summary>
public sealed class RedisControlPlaneTests : IAsyncLifetime
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

    private static Task<HttpStatusCode> WaitForReadyAsync(ControlPlaneHost host, HttpStatusCode wanted) =>
        Eventually.ValueAsync(
            async () =>
            {
                using var response = await host.Client.GetAsync("/health/ready");
                return response.StatusCode;
            },
            status => status == wanted,
            TimeSpan.FromSeconds(15));

    private static Task<HttpStatusCode> RetryWriteAsync(Func<Task<HttpResponseMessage>> write) =>
        Eventually.ValueAsync(
            async () =>
            {
                try
                {
                    using var response = await write();
                    return response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    return HttpStatusCode.ServiceUnavailable;
                }
            },
            status => status is HttpStatusCode.Created or HttpStatusCode.OK,
            TimeSpan.FromSeconds(10));

    [Fact]
    public async Task RedisRestart_UnderRunningControlPlane_RecoversAndLosesNothing()
    {
        await using var host = await ControlPlaneHost.StartAsync(new Dictionary<string, string?>
        {
            ["REDIS_URL"] = _redis.Url,
            ["REDIS_SOCKET_TIMEOUT"] = "1",
            ["ACGS_ADMIN_TOKEN"] = ControlPlaneHost.AdminToken,
        });
        using var admin = host.AdminClient();
        // Readiness means "store reachable": the multiplexer connects in the background at start.
        Assert.Equal(HttpStatusCode.OK, await WaitForReadyAsync(host, HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = "survivor" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/policies/survivor/versions", PolicyDocuments.VersionBody("1.0.0", PolicyDocuments.Breaker("survivor")))).StatusCode);

        await _redis.StopAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await WaitForReadyAsync(host, HttpStatusCode.ServiceUnavailable));
        await _redis.StartAsync();
        Assert.Equal(HttpStatusCode.OK, await WaitForReadyAsync(host, HttpStatusCode.OK));

        Assert.Equal(HttpStatusCode.OK, await RetryWriteAsync(() => admin.PutAsync("/api/v1/policies/survivor/activate?version=1.0.0", null)));
        var policy = JsonNode.Parse(await host.Client.GetStringAsync("/api/v1/policies/survivor"))!;
        var audit = JsonNode.Parse(await host.Client.GetStringAsync("/api/v1/audit"))!;
        Assert.Equal("1.0.0", (string?)policy["active_version"]);
        Assert.True((bool)audit["chain_valid"]!);
        Assert.Equal(["policy.create", "policy.version.create", "policy.activate"], audit["entries"]!.AsArray().Select(e => (string)e!["action"]!));
    }
}
