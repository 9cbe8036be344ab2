// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Discovery;
using Acgs.Contracts.Health;
using Acgs.Contracts.Serialization;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.ControlPlaneClient;
using Microsoft.Extensions.Time.Testing;
using Polly.Timeout;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>The sidecar's one connection to the control plane, against a real Kestrel listener.</summary>
public sealed class ControlPlaneConnectionTests
{
    private static ControlPlaneClientOptions Options(Uri url) => new()
    {
        Url = url,
        NodeId = "node 1",
        ServiceName = "orders",
        Token = "sidecar-secret",
        InboundAddress = "127.0.0.1:15006",
    };

    [Fact]
    public async Task TypedCalls_EveryContract_SentToItsRouteWithTokenOverOneConnection()
    {
        await using var plane = await RecordingControlPlane.StartAsync();
        using var connection = new ControlPlaneConnection(Options(plane.Address), TimeProvider.System);

        Assert.True((await connection.ReportHealthAsync(new HealthReport([ClusterHealth.Of("billing", CircuitState.HalfOpen)]), default)).Accepted);
        Assert.True((await connection.ReportAgentsAsync(new BusAgentReport("127.0.0.1:18080", ["agent-a"]), default)).Accepted);
        Assert.True((await connection.AcknowledgeAsync(SnapshotAck.Answer("orders", "node 1", "3-a", "n1", []), default)).Accepted);
        Assert.True((await connection.DeregisterAsync(default)).Accepted);

        var requests = plane.Requests.ToArray();
        Assert.Equal(
            [
                ("PUT", "/api/v1/health/orders/node%201", """{"clusters":[{"name":"billing","state":"half_open"}]}"""),
                ("PUT", "/api/v1/discovery/orders/node%201/agents", """{"bus_address":"127.0.0.1:18080","agents":["agent-a"]}"""),
                ("POST", "/api/v1/discovery/ack", """{"service_name":"orders","node_id":"node 1","version":"3-a","nonce":"n1","accepted":true,"errors":[]}"""),
                ("DELETE", "/api/v1/health/orders/node%201", ""),
            ],
            requests.Select(r => (r.Method, r.Path, r.Body)));
        Assert.All(requests, r => Assert.Equal("Bearer sidecar-secret", r.Authorization));
        Assert.Single(requests.Select(r => r.Connection).Distinct());
    }

    [Fact]
    public async Task ReportHealthAsync_Refused_ReturnsStatusAndProblem()
    {
        await using var plane = await RecordingControlPlane.StartAsync();
        plane.Status = 400;
        plane.Body = """{"errors":["clusters: is required (use [] for none)"]}""";
        using var connection = new ControlPlaneConnection(Options(plane.Address), TimeProvider.System);

        var answer = await connection.ReportHealthAsync(new HealthReport([]), default);

        Assert.False(answer.Accepted);
        Assert.Equal(400, answer.Status);
        Assert.Equal(plane.Body, answer.Problem);
    }

    [Fact]
    public async Task SendAsync_ResponseContract_ReadThroughTheSourceGeneratedContext()
    {
        await using var plane = await RecordingControlPlane.StartAsync();
        plane.Status = 200;
        plane.Body = """{"bus_address":"10.0.0.9:8080","agents":["b"]}""";
        using var connection = new ControlPlaneConnection(Options(plane.Address), TimeProvider.System);

        var answer = await connection.SendAsync(
            HttpMethod.Post, "/api/v1/example", new BusAgentReport("10.0.0.5:8080", []), AcgsJsonContext.Default.BusAgentReport, AcgsJsonContext.Default.BusAgentReport, default);

        Assert.True(answer.Answer.Accepted);
        Assert.Equal(new BusAgentReport("10.0.0.9:8080", ["b"]).BusAddress, answer.Value!.BusAddress);
        Assert.Equal(["b"], answer.Value.Agents!);
        Assert.Equal(("POST", "/api/v1/example"), plane.Requests.Select(r => (r.Method, r.Path)).Single());
    }

    [Fact]
    public async Task SendAsync_OtherCredential_ReplacesTheSidecarTokenForThatCallOnly()
    {
        await using var plane = await RecordingControlPlane.StartAsync();
        using var connection = new ControlPlaneConnection(Options(plane.Address), TimeProvider.System);
        var report = new BusAgentReport("10.0.0.5:8080", []);

        await connection.SendAsync(
            HttpMethod.Post, "/api/v1/example", report, AcgsJsonContext.Default.BusAgentReport, AcgsJsonContext.Default.BusAgentReport, default,
            new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "join-token"));
        await connection.ReportAgentsAsync(report, default);

        Assert.Equal(["Bearer join-token", "Bearer sidecar-secret"], plane.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task SendAsync_ControlPlaneHangs_TimesOutAfterRequestTimeoutOnTheClock()
    {
        await using var plane = await RecordingControlPlane.StartAsync();
        plane.Hang = true;
        var time = new FakeTimeProvider();
        using var connection = new ControlPlaneConnection(Options(plane.Address), time);

        var call = connection.ReportHealthAsync(new HealthReport([]), default);
        await plane.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        time.Advance(ControlPlaneConnection.RequestTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task OpenWatchAsync_Refused_ThrowsWithTheWatchQuery()
    {
        await using var plane = await RecordingControlPlane.StartAsync();
        plane.Status = 401;
        using var connection = new ControlPlaneConnection(Options(plane.Address) with { Token = null }, TimeProvider.System);

        await Assert.ThrowsAsync<HttpRequestException>(() => connection.OpenWatchAsync(default));

        var request = Assert.Single(plane.Requests);
        Assert.Equal(("GET", "/api/v1/discovery/watch?service=orders&node=node%201&address=127.0.0.1%3A15006&deltas=1", ""), (request.Method, request.Path, request.Authorization));
    }
}
