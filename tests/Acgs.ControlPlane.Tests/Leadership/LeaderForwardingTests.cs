// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Nodes;
using Acgs.ControlPlane.Hosting;
using Acgs.ControlPlane.Leadership;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace Acgs.ControlPlane.Tests.Leadership;

/// <summary>What a replica that does not lead answers for leader-only endpoints when it cannot forward.</summary>
public sealed class LeaderForwardingTests
{
    private sealed class Follower(LeaderInfo? leader) : ILeadership
    {
        public bool IsLeader => false;

        public LeaderInfo? Leader => leader;

        public event EventHandler<bool>? Changed
        {
            add { }
            remove { }
        }
    }

    private static async Task<(HttpContext Context, bool Passed, string Body, string Metrics)> InvokeAsync(ILeadership leadership, bool leaderOnly, string? forwardedBy = null)
    {
        var registry = Metrics.NewCustomRegistry();
        using var forwarding = new LeaderForwarding(leadership, new LeaderMetrics(registry), new ControlPlaneOptions { ReplicaId = "b" }, NullLogger<LeaderForwarding>.Instance);
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        context.Request.Method = "GET";
        context.Request.Path = "/api/v1/rollouts";
        context.Response.Body = new MemoryStream();
        if (forwardedBy is not null)
        {
            context.Request.Headers[LeaderForwarding.ForwardedByHeader] = forwardedBy;
        }

        context.SetEndpoint(new Endpoint(null, leaderOnly ? new EndpointMetadataCollection(RequiresLeader.Instance) : EndpointMetadataCollection.Empty, "test"));
        var passed = false;
        await forwarding.InvokeAsync(context, _ =>
        {
            passed = true;
            return Task.CompletedTask;
        });
        context.Response.Body.Position = 0;
        using var metrics = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(metrics);
        return (context, passed, new StreamReader(context.Response.Body).ReadToEnd(), System.Text.Encoding.UTF8.GetString(metrics.ToArray()));
    }

    [Fact]
    public async Task InvokeAsync_NoLeaderKnown_Returns503NoLeaderWithRetryAfter()
    {
        var (context, passed, body, metrics) = await InvokeAsync(new Follower(null), leaderOnly: true);

        Assert.False(passed);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal(LeaderForwarding.NoLeaderType, (string?)JsonNode.Parse(body)!["type"]);
        Assert.Contains("acgs_controlplane_leader_forwards_total{result=\"no_leader\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_AlreadyForwarded_Returns503InsteadOfForwardingAgain()
    {
        var (context, passed, _, metrics) = await InvokeAsync(new Follower(new LeaderInfo("a/1", "http://127.0.0.1:1")), leaderOnly: true, forwardedBy: "c");

        Assert.False(passed);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Contains("acgs_controlplane_leader_forwards_total{result=\"loop\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_LeaderUnreachable_Returns503()
    {
        var (context, passed, body, _) = await InvokeAsync(new Follower(new LeaderInfo("a/1", "http://127.0.0.1:1")), leaderOnly: true);

        Assert.False(passed);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Contains("'a' cannot be reached", (string?)JsonNode.Parse(body)!["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_EndpointNotLeaderOnly_PassesThrough()
    {
        var (_, passed, _, _) = await InvokeAsync(new Follower(null), leaderOnly: false);

        Assert.True(passed);
    }

    [Fact]
    public void Decode_EncodedLeader_RoundTrips()
    {
        var leader = new LeaderInfo("a/0123", "http://10.0.0.7:8000");

        Assert.Equal(leader, LeaderInfo.Decode(leader.Encode(null), null));
        Assert.Equal("a", leader.Replica);
        Assert.Null(LeaderInfo.Decode("no-newline", null));
        Assert.Null(LeaderInfo.Decode(null, null));
    }

    [Fact]
    public void Decode_SignedLease_RoundTripsWithTheSameAdminToken()
    {
        var leader = new LeaderInfo("a/0123", "http://10.0.0.7:8000");
        var signer = new LeaseSigner("admin-token-0123456789");

        Assert.Equal(leader, LeaderInfo.Decode(leader.Encode(signer), new LeaseSigner("admin-token-0123456789")));
    }

    [Fact]
    public void Decode_LeaseNotSignedByThisAdminToken_Null()
    {
        var signer = new LeaseSigner("admin-token-0123456789");
        var signed = new LeaderInfo("a/0123", "http://10.0.0.7:8000").Encode(signer);
        var redirected = signed.Replace("10.0.0.7", "10.6.6.6", StringComparison.Ordinal);

        Assert.Null(LeaderInfo.Decode(redirected, signer)); // the URL changed under the signature
        Assert.Null(LeaderInfo.Decode("a/0123\nhttp://10.6.6.6:8000", signer)); // unsigned
        Assert.Null(LeaderInfo.Decode(new LeaderInfo("a/0123", "http://10.6.6.6:8000").Encode(new LeaseSigner("another-token-0123456789")), signer));
        Assert.NotNull(LeaderInfo.Decode(redirected, null)); // without an admin token nothing is forwarded, so nothing is checked
    }
}
