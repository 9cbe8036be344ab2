// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Distribution;
using Acgs.ControlPlane.Store;
using Acgs.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.ControlPlane.Tests.Distribution;

/// <summary>
/// Convergence measurement on a real control plane with watchers that ACK as fast as they can: an ACK may arrive
/// while the rebuild is still compiling and pushing other services, and must still count for that change.
/// </summary>
public sealed class ConvergenceTests : IAsyncLifetime
{
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private readonly ConcurrentDictionary<string, int> _ackedFailMax = new(StringComparer.Ordinal);
    private ControlPlaneHost _host = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await ControlPlaneHost.StartEmbeddedAsync(_directory);
        _admin = _host.AdminClient();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Activation_FastAcksAcrossServices_EveryChangeCompletesWithinTheClientObservedTime()
    {
        var hub = _host.App.Services.GetRequiredService<DistributionHub>();
        var store = _host.App.Services.GetRequiredService<IPolicyStore>();
        var watchers = new List<Task>();
        var connections = new List<WatchConnection>();
        var keys = new List<string>();
        for (var i = 0; i < 48; i++)
        {
            var service = "svc-" + i; // one service each: the rebuild compiles 48 snapshots while the first ones are already ACKed
            var node = "n" + i;
            keys.Add(service + "|" + node);
            var connection = await WatchConnection.OpenAsync(_host.Address, service, node, "127.0.0.1:" + (20000 + i));
            connections.Add(connection);
            watchers.Add(AckLoopAsync(connection, service, node));
        }

        await WaitAsync(() => _ackedFailMax.Count == keys.Count);
        await _admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = "mesh-breaker" });
        for (var round = 1; round <= 5; round++)
        {
            var failMax = 10 + round;
            var version = $"1.{round}.0";
            Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsJsonAsync("/api/v1/policies/mesh-breaker/versions",
                PolicyDocuments.VersionBody(version, PolicyDocuments.Breaker("mesh-breaker", "mesh", failMax)))).StatusCode);
            var revision = await store.GetRevisionAsync(default);
            await Eventually.TrueAsync(() => hub.LastRevision >= revision, "the version's own (push-free) rebuild completes");

            var start = Stopwatch.GetTimestamp();
            Assert.Equal(HttpStatusCode.OK, (await _admin.PutAsync($"/api/v1/policies/mesh-breaker/activate?version={version}", null)).StatusCode);
            await WaitAsync(() => keys.All(k => _ackedFailMax.TryGetValue(k, out var f) && f == failMax));
            var observed = Stopwatch.GetElapsedTime(start);

            // The server closes a change out only after it has queued the last push, which can come after every ACK
            // the client saw when the machine is loaded.
            await Eventually.TrueAsync(() => hub.PendingCount == 0, "the server closes out the change");
            Assert.NotNull(hub.LastConvergence);
            Assert.True(hub.LastConvergence <= observed, $"round {round}: server {hub.LastConvergence} > client-observed {observed}");
        }

        foreach (var connection in connections)
        {
            await connection.DisposeAsync(); // ends each loop's pending read
        }

        await Task.WhenAll(watchers);
    }

    private async Task AckLoopAsync(WatchConnection connection, string service, string node)
    {
        while (true)
        {
            JsonObject message;
            try
            {
                message = await connection.NextSnapshotAsync(TimeSpan.FromMinutes(5));
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or HttpRequestException)
            {
                return; // the test closed the stream
            }

            var ack = new JsonObject
            {
                ["service_name"] = service,
                ["node_id"] = node,
                ["version"] = (string?)message["version"],
                ["nonce"] = (string?)message["nonce"],
                ["accepted"] = true,
                ["errors"] = new JsonArray(),
            };
            using var response = await _host.Client.PostAsJsonAsync("/api/v1/discovery/ack", ack, CancellationToken.None);
            _ackedFailMax[service + "|" + node] = (int?)message["snapshot"]?["inbound"]?["breaker"]?["fail_max"] ?? 0;
        }
    }

    private static Task WaitAsync(Func<bool> condition) => Eventually.TrueAsync(condition, "the watchers ACK", TimeSpan.FromSeconds(30));
}
