// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Resilience;
using Acgs.Testing;
using Xunit;

namespace Acgs.Sidecar.Tests.Resilience;

/// <summary>Retries through the real handler chain against a real Kestrel upstream.</summary>
public sealed class ClusterResilienceHandlerRetryTests
{
    private static ClusterResilience WithRetries(int maxAttempts, int failMax = 100, double ratio = 0.2, int minPerSecond = 10) =>
        ResilienceHarness.Breaker(failMax) with
        {
            Retry = new RetrySettings
            {
                MaxAttempts = maxAttempts,
                BackoffBase = TimeSpan.Zero,
                BudgetRatio = ratio,
                BudgetMinRetriesPerSecond = minPerSecond,
            },
        };

    [Fact]
    public async Task SendAsync_RetriesDisabledByDefault_OneAttempt()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var client = harness.Client(ResilienceHarness.NewCluster("no-retry"), ResilienceHarness.Breaker(failMax: 100));
        upstream.Respond(503);

        using var response = await ResilienceHarness.GetAsync(client, upstream.BaseUri);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, upstream.RequestCount);
    }

    [Fact]
    public async Task SendAsync_GetOn503_RetriedUpToMaxAttempts()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var client = harness.Client(ResilienceHarness.NewCluster("retry-max"), WithRetries(maxAttempts: 3));
        upstream.Respond(503);

        using var response = await ResilienceHarness.GetAsync(client, upstream.BaseUri);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.False(response.Headers.Contains(CircuitOpenResponse.CircuitHeaderName));
        Assert.Equal(3, upstream.RequestCount);
    }

    [Fact]
    public async Task SendAsync_RetrySucceeds_ReturnsSuccessAndResetsBreakerCount()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var cluster = ResilienceHarness.NewCluster("retry-ok");
        var client = harness.Client(cluster, WithRetries(maxAttempts: 4));
        upstream.Script(503, 502);

        using var response = await ResilienceHarness.GetAsync(client, upstream.BaseUri);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("upstream", await response.Content.ReadAsStringAsync());
        Assert.Equal(3, upstream.RequestCount);
        Assert.Equal(0, harness.Registry.Get(cluster).ConsecutiveFailures);
    }

    [Fact]
    public async Task SendAsync_TransportErrorOnGet_Retried()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var client = harness.Client(ResilienceHarness.NewCluster("retry-transport"), WithRetries(maxAttempts: 2));
        upstream.AbortConnections();

        await Assert.ThrowsAsync<HttpRequestException>(() => ResilienceHarness.GetAsync(client, upstream.BaseUri));
        Assert.Equal(2, upstream.RequestCount);
    }

    [Fact]
    public async Task SendAsync_PostWithBody_NeverRetried()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var client = harness.Client(ResilienceHarness.NewCluster("retry-post"), WithRetries(maxAttempts: 5));
        upstream.Respond(503);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(upstream.BaseUri, "api")) { Content = new StringContent("{}") };
        using var response = await client.SendAsync(request, CancellationToken.None);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, upstream.RequestCount);
    }

    [Fact]
    public async Task SendAsync_PutWithBody_NeverRetried()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var client = harness.Client(ResilienceHarness.NewCluster("retry-put-body"), WithRetries(maxAttempts: 5));
        upstream.Respond(503);

        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(upstream.BaseUri, "api")) { Content = new StringContent("x") };
        using var response = await client.SendAsync(request, CancellationToken.None);

        Assert.Equal(1, upstream.RequestCount);
    }

    [Fact]
    public async Task SendAsync_PostWithoutBody_NotIdempotent_NeverRetried()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var client = harness.Client(ResilienceHarness.NewCluster("retry-post-empty"), WithRetries(maxAttempts: 5));
        upstream.Respond(503);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(upstream.BaseUri, "api"));
        using var response = await client.SendAsync(request, CancellationToken.None);

        Assert.Equal(1, upstream.RequestCount);
    }

    [Fact]
    public async Task SendAsync_DeleteWithoutBody_Retried()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var client = harness.Client(ResilienceHarness.NewCluster("retry-delete"), WithRetries(maxAttempts: 2));
        upstream.Respond(504);

        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(upstream.BaseUri, "api"));
        using var response = await client.SendAsync(request, CancellationToken.None);

        Assert.Equal(2, upstream.RequestCount);
    }

    [Fact]
    public async Task SendAsync_BudgetExhausted_NoMoreRetries()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var client = harness.Client(ResilienceHarness.NewCluster("budget"), WithRetries(maxAttempts: 3, ratio: 0.2, minPerSecond: 0));
        upstream.Respond(503);

        // 20 % of requests: requests 1–4 earn less than one retry; the 5th earns exactly one.
        for (var i = 1; i <= 4; i++)
        {
            using var response = await ResilienceHarness.GetAsync(client, upstream.BaseUri);
            Assert.Equal(i, upstream.RequestCount);
        }

        using (await ResilienceHarness.GetAsync(client, upstream.BaseUri))
        {
        }

        Assert.Equal(6, upstream.RequestCount);

        using (await ResilienceHarness.GetAsync(client, upstream.BaseUri))
        {
        }

        Assert.Equal(7, upstream.RequestCount); // spent: the 6th request is not retried

        harness.Time.Advance(TimeSpan.FromSeconds(11)); // the window slid past all of it
        for (var i = 0; i < 5; i++)
        {
            using (await ResilienceHarness.GetAsync(client, upstream.BaseUri))
            {
            }
        }

        Assert.Equal(13, upstream.RequestCount); // five requests, one retry again
    }

    [Fact]
    public async Task SendAsync_RetryTripsBreaker_AnswersCircuitOpenAndStops()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var cluster = ResilienceHarness.NewCluster("retry-trip");
        var client = harness.Client(cluster, WithRetries(maxAttempts: 5, failMax: 2));
        upstream.Respond(503);

        using var response = await ResilienceHarness.GetAsync(client, upstream.BaseUri);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.Contains(CircuitOpenResponse.CircuitHeaderName));
        Assert.Equal(2, upstream.RequestCount);
        Assert.Equal(CircuitState.Open, harness.Registry.Get(cluster).State);
    }

    [Fact]
    public async Task SendAsync_RetryRefusedByOpenBreaker_AnswersCircuitOpen()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var cluster = ResilienceHarness.NewCluster("retry-refused");
        var client = harness.Client(cluster, WithRetries(maxAttempts: 5, failMax: 100));
        var breaker = harness.Registry.Get(cluster);
        upstream.OnRequest = breaker.Isolate; // another caller opens the breaker while this attempt runs
        upstream.Respond(503);

        using var response = await ResilienceHarness.GetAsync(client, upstream.BaseUri);

        Assert.True(response.Headers.Contains(CircuitOpenResponse.CircuitHeaderName));
        Assert.Equal(1, upstream.RequestCount);
    }

    [Fact]
    public async Task SendAsync_Backoff_WaitsOnTimeProviderBeforeRetrying()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var client = harness.Client(ResilienceHarness.NewCluster("backoff"), ResilienceHarness.Breaker(failMax: 100) with
        {
            Retry = new RetrySettings { MaxAttempts = 2, BackoffBase = TimeSpan.FromSeconds(1), BackoffMax = TimeSpan.FromSeconds(1) },
        });
        upstream.Script(503);

        var call = ResilienceHarness.GetAsync(client, upstream.BaseUri);
        await upstream.WaitForRequestsAsync(1);
        await Task.Delay(200); // absence check: nothing more happens while fake time stands still
        Assert.Equal(1, upstream.RequestCount); // waiting for fake time
        Assert.False(call.IsCompleted);

        await Eventually.AdvanceUntilAsync(harness.Time, TimeSpan.FromMilliseconds(100), () => call.IsCompleted);

        using var response = await call;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, upstream.RequestCount);
    }

    [Fact]
    public async Task SendAsync_PerTryTimeout_RetriesThenTimesOut()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var cluster = ResilienceHarness.NewCluster("per-try");
        var client = harness.Client(cluster, ResilienceHarness.Breaker(failMax: 100) with
        {
            Timeout = TimeSpan.FromSeconds(10),
            Retry = new RetrySettings { MaxAttempts = 2, PerTryTimeout = TimeSpan.FromSeconds(1), BackoffBase = TimeSpan.Zero },
        });
        upstream.Stall();

        var call = ResilienceHarness.GetAsync(client, upstream.BaseUri);
        await upstream.WaitForRequestsAsync(1);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await upstream.WaitForRequestsAsync(2);
        harness.Time.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<TaskCanceledException>(() => call);
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Equal(2, upstream.RequestCount);
        Assert.Equal(2, harness.Registry.Get(cluster).ConsecutiveFailures);
    }
}
