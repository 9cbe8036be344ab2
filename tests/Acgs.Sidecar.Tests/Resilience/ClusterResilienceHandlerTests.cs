// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Text.Json;
using Acgs.Core;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Resilience;
using Acgs.Testing;
using Xunit;

namespace Acgs.Sidecar.Tests.Resilience;

/// <summary>Circuit breaking through the real handler chain against a real Kestrel upstream.</summary>
public sealed class ClusterResilienceHandlerTests
{
    [Fact]
    public async Task SendAsync_FailMaxFailures_TrippingCallAndNextAnswerCircuitOpenWithoutReachingUpstream()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var cluster = ResilienceHarness.NewCluster("trip");
        var client = harness.Client(cluster, ResilienceHarness.Breaker(failMax: 3));
        upstream.Respond(503);

        for (var i = 0; i < 2; i++)
        {
            using var failing = await ResilienceHarness.GetAsync(client, upstream.BaseUri);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
            Assert.False(failing.Headers.Contains(CircuitOpenResponse.CircuitHeaderName)); // the upstream's own 503
        }

        using (var tripping = await ResilienceHarness.GetAsync(client, upstream.BaseUri))
        {
            AssertCircuitOpen(tripping, cluster, expectedRetryAfter: 30);
        }

        Assert.Equal(3, upstream.RequestCount);
        Assert.Equal(CircuitState.Open, harness.Registry.Get(cluster).State);

        using var rejected = await ResilienceHarness.GetAsync(client, upstream.BaseUri);
        AssertCircuitOpen(rejected, cluster, expectedRetryAfter: 30);
        Assert.Equal(3, upstream.RequestCount); // nothing sent upstream while open

        harness.Time.Advance(TimeSpan.FromSeconds(12.2));
        using var later = await ResilienceHarness.GetAsync(client, upstream.BaseUri);
        AssertCircuitOpen(later, cluster, expectedRetryAfter: 18); // ceil(17.8)
        Assert.Equal(3, upstream.RequestCount);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(400)]
    [InlineData(500)] // not a failure status by default (502, 503, 504)
    public async Task SendAsync_NonFailureStatuses_NeverOpen(int status)
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var cluster = ResilienceHarness.NewCluster("excluded");
        var client = harness.Client(cluster, ResilienceHarness.Breaker(failMax: 1));
        upstream.Respond(status);

        for (var i = 0; i < 5; i++)
        {
            using var response = await ResilienceHarness.GetAsync(client, upstream.BaseUri);
            Assert.Equal(status, (int)response.StatusCode);
        }

        Assert.Equal(5, upstream.RequestCount);
        Assert.Equal(CircuitState.Closed, harness.Registry.Get(cluster).State);
    }

    [Fact]
    public async Task SendAsync_ConfiguredFailureStatus_Counts()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var cluster = ResilienceHarness.NewCluster("custom-statuses");
        var client = harness.Client(cluster, ResilienceHarness.Breaker(failMax: 2) with { FailureStatuses = StatusCodeSet.Of(500, 503) });
        upstream.Respond(500);

        using (await ResilienceHarness.GetAsync(client, upstream.BaseUri))
        {
        }

        using var tripping = await ResilienceHarness.GetAsync(client, upstream.BaseUri);
        AssertCircuitOpen(tripping, cluster, expectedRetryAfter: 30);
    }

    [Fact]
    public async Task SendAsync_SuccessBetweenFailures_ResetsConsecutiveCount()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var cluster = ResilienceHarness.NewCluster("reset-count");
        var client = harness.Client(cluster, ResilienceHarness.Breaker(failMax: 3));
        upstream.Script(503, 502, 200, 504, 503);

        for (var i = 0; i < 5; i++)
        {
            using var response = await ResilienceHarness.GetAsync(client, upstream.BaseUri);
            Assert.False(response.Headers.Contains(CircuitOpenResponse.CircuitHeaderName));
        }

        var breaker = harness.Registry.Get(cluster);
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(2, breaker.ConsecutiveFailures);

        upstream.Respond(503);
        using var tripping = await ResilienceHarness.GetAsync(client, upstream.BaseUri);
        AssertCircuitOpen(tripping, cluster, expectedRetryAfter: 30);
    }

    [Fact]
    public async Task SendAsync_ConnectionRefused_CountsAsTransportFailure()
    {
        using var harness = new ResilienceHarness();
        var cluster = ResilienceHarness.NewCluster("refused");
        var client = harness.Client(cluster, ResilienceHarness.Breaker(failMax: 2));
        var nowhere = TestUpstream.UnusedLoopbackUri();

        await Assert.ThrowsAsync<HttpRequestException>(() => ResilienceHarness.GetAsync(client, nowhere));
        Assert.Equal(1, harness.Registry.Get(cluster).ConsecutiveFailures);

        // The tripping call answers circuit-open instead of rethrowing.
        using var tripping = await ResilienceHarness.GetAsync(client, nowhere);
        AssertCircuitOpen(tripping, cluster, expectedRetryAfter: 30);
    }

    [Fact]
    public async Task SendAsync_UpstreamAbortsConnection_CountsAsTransportFailure()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var cluster = ResilienceHarness.NewCluster("aborted");
        var client = harness.Client(cluster, ResilienceHarness.Breaker(failMax: 5));
        upstream.AbortConnections();

        await Assert.ThrowsAsync<HttpRequestException>(() => ResilienceHarness.GetAsync(client, upstream.BaseUri));
        Assert.Equal(1, harness.Registry.Get(cluster).ConsecutiveFailures);
    }

    [Fact]
    public async Task SendAsync_UpstreamSlowerThanTimeout_TimesOutAndCounts()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var cluster = ResilienceHarness.NewCluster("timeout");
        var client = harness.Client(cluster, ResilienceHarness.Breaker(failMax: 5) with { Timeout = TimeSpan.FromSeconds(2) });
        upstream.Stall();

        var call = ResilienceHarness.GetAsync(client, upstream.BaseUri);
        await upstream.WaitForRequestsAsync(1);
        Assert.False(call.IsCompleted);
        harness.Time.Advance(TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<TaskCanceledException>(() => call);
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Equal(1, harness.Registry.Get(cluster).ConsecutiveFailures);
    }

    [Fact]
    public async Task SendAsync_ClientCancels_DoesNotCount()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var cluster = ResilienceHarness.NewCluster("cancel");
        var client = harness.Client(cluster, ResilienceHarness.Breaker(failMax: 1));
        upstream.Stall();
        using var cancellation = new CancellationTokenSource();

        var call = ResilienceHarness.GetAsync(client, upstream.BaseUri, cancellation.Token);
        await upstream.WaitForRequestsAsync(1);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        var breaker = harness.Registry.Get(cluster);
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(0, breaker.ConsecutiveFailures);
    }

    [Fact]
    public async Task SendAsync_ClientSendsBadBody_DoesNotCount()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var cluster = ResilienceHarness.NewCluster("bad-body");
        var client = harness.Client(cluster, ResilienceHarness.Breaker(failMax: 1));

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(upstream.BaseUri, "api")) { Content = new FailingClientContent() };
        await Assert.ThrowsAnyAsync<Exception>(() => client.SendAsync(request, CancellationToken.None));

        var breaker = harness.Registry.Get(cluster);
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal(0, breaker.ConsecutiveFailures);
    }

    [Fact]
    public async Task SendAsync_AfterResetTimeout_OneTrialGoesThroughAndItsSuccessCloses()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var cluster = ResilienceHarness.NewCluster("half-open-close");
        var client = harness.Client(cluster, ResilienceHarness.Breaker(failMax: 1, resetSeconds: 30));
        upstream.Respond(503);
        using (await ResilienceHarness.GetAsync(client, upstream.BaseUri))
        {
        }

        var breaker = harness.Registry.Get(cluster);
        Assert.Equal(CircuitState.Open, breaker.State);
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        upstream.Respond(200);
        upstream.Stall();

        var trial = ResilienceHarness.GetAsync(client, upstream.BaseUri);
        await upstream.WaitForRequestsAsync(2);
        Assert.Equal(CircuitState.HalfOpen, breaker.State);

        var others = new Task<HttpResponseMessage>[4];
        for (var i = 0; i < others.Length; i++)
        {
            others[i] = ResilienceHarness.GetAsync(client, upstream.BaseUri);
        }

        foreach (var other in others)
        {
            using var response = await other;
            AssertCircuitOpen(response, cluster, expectedRetryAfter: 1);
        }

        Assert.Equal(2, upstream.RequestCount); // the tripping call and the one trial
        upstream.Release();
        using (var trialResponse = await trial)
        {
            Assert.Equal(HttpStatusCode.OK, trialResponse.StatusCode);
        }

        Assert.Equal(CircuitState.Closed, breaker.State);
        using var after = await ResilienceHarness.GetAsync(client, upstream.BaseUri);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(3, upstream.RequestCount);
    }

    [Fact]
    public async Task SendAsync_AfterResetTimeout_ConcurrentCallersOnlyOneReachesUpstream()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var cluster = ResilienceHarness.NewCluster("half-open-race");
        var client = harness.Client(cluster, ResilienceHarness.Breaker(failMax: 1, resetSeconds: 15));
        upstream.Respond(503);
        using (await ResilienceHarness.GetAsync(client, upstream.BaseUri))
        {
        }

        harness.Time.Advance(TimeSpan.FromSeconds(15));
        upstream.Respond(200);
        upstream.Stall();
        using var start = new ManualResetEventSlim();
        var callers = new Task<HttpResponseMessage>[8];
        for (var i = 0; i < callers.Length; i++)
        {
            callers[i] = Task.Run(() =>
            {
                start.Wait();
                return ResilienceHarness.GetAsync(client, upstream.BaseUri);
            });
        }

        start.Set();
        await upstream.WaitForRequestsAsync(2);
        await Eventually.TrueAsync(() => callers.Count(c => c.IsCompleted) >= callers.Length - 1);

        upstream.Release();
        var responses = await Task.WhenAll(callers);
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(callers.Length - 1, responses.Count(r => r.Headers.Contains(CircuitOpenResponse.CircuitHeaderName)));
        Assert.Equal(2, upstream.RequestCount);
        Assert.Equal(CircuitState.Closed, harness.Registry.Get(cluster).State);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task SendAsync_TrialFails_ReopensWithFreshTimer()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var cluster = ResilienceHarness.NewCluster("half-open-reopen");
        var client = harness.Client(cluster, ResilienceHarness.Breaker(failMax: 2, resetSeconds: 30));
        upstream.Respond(502);
        for (var i = 0; i < 2; i++)
        {
            using (await ResilienceHarness.GetAsync(client, upstream.BaseUri))
            {
            }
        }

        var breaker = harness.Registry.Get(cluster);
        harness.Time.Advance(TimeSpan.FromSeconds(31));
        using (var trial = await ResilienceHarness.GetAsync(client, upstream.BaseUri))
        {
            Assert.Equal(HttpStatusCode.BadGateway, trial.StatusCode); // a failed trial surfaces as is
        }

        Assert.Equal(3, upstream.RequestCount);
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(TimeSpan.FromSeconds(30), breaker.RetryAfter);
        using var rejected = await ResilienceHarness.GetAsync(client, upstream.BaseUri);
        AssertCircuitOpen(rejected, cluster, expectedRetryAfter: 30);
        Assert.Equal(3, upstream.RequestCount);
    }

    [Fact]
    public async Task SendAsync_NewSettingsInstance_AppliesBreakerOptions()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var cluster = ResilienceHarness.NewCluster("reconfigure");
        var client = harness.Client(cluster, ResilienceHarness.Breaker(failMax: 5));
        upstream.Respond(503);
        using (await ResilienceHarness.GetAsync(client, upstream.BaseUri))
        {
        }

        Assert.Equal(5, harness.Registry.Get(cluster).Options.FailMax);
        harness.Source.Set(cluster, ResilienceHarness.Breaker(failMax: 2));
        using var tripping = await ResilienceHarness.GetAsync(client, upstream.BaseUri);
        AssertCircuitOpen(tripping, cluster, expectedRetryAfter: 30);
        Assert.Equal(2, harness.Registry.Get(cluster).Options.FailMax);
    }

    [Fact]
    public async Task SendAsync_SeedServiceWithoutSettings_UsesSeedBreakerDefaults()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var client = harness.Client("audit-ledger");
        using var response = await ResilienceHarness.GetAsync(client, upstream.BaseUri);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(7, harness.Registry.Get("audit-ledger").Options.FailMax);
        Assert.Equal(TimeSpan.FromSeconds(60), harness.Registry.Get("audit-ledger").Options.ResetTimeout);
    }

    private static void AssertCircuitOpen(HttpResponseMessage response, string cluster, int expectedRetryAfter)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("open", Assert.Single(response.Headers.GetValues("x-acgs-circuit")));
        Assert.Equal(TimeSpan.FromSeconds(expectedRetryAfter), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        Assert.Equal(AcgsConstants.CircuitOpenProblemType, problem.RootElement.GetProperty("type").GetString());
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("title").GetString()));
        Assert.Contains(cluster, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>A request body whose downstream client turns out to be malformed, as Kestrel reports it.</summary>
    private sealed class FailingClientContent : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(new byte[] { 1, 2, 3 });
            throw new IOException(
                "An error occurred when reading the request body from the client.",
                new Microsoft.AspNetCore.Http.BadHttpRequestException("Bad chunk size data."));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
