// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.LoadTest.Http;
using Acgs.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Acgs.LoadTest.Tests.Http;

public sealed class RawHttpClientTests
{
    [Fact]
    public async Task SendAsync_ContentLengthResponse_ReturnsStatusAndBytesAndReusesConnection()
    {
        await using var backend = await TestBackend.StartAsync(TestBackend.Ok);
        using var client = new RawHttpClient(new RawHttpClientOptions { Target = backend.Uri });

        var first = await client.SendAsync();
        var second = await client.SendAsync();

        Assert.True(first.IsOk);
        Assert.Equal(200, second.StatusCode);
        Assert.True(second.Bytes > 2);
        Assert.Equal(1, client.ConnectionsOpened);
    }

    [Fact]
    public async Task SendAsync_ChunkedResponse_ReadsEveryChunk()
    {
        var body = new string('x', 40_000);
        await using var backend = await TestBackend.StartAsync(async ctx =>
        {
            await ctx.Response.WriteAsync(body[..100]);
            await ctx.Response.Body.FlushAsync();
            await ctx.Response.WriteAsync(body[100..]);
        });
        using var client = new RawHttpClient(new RawHttpClientOptions { Target = backend.Uri, BufferSize = 4096 });

        var first = await client.SendAsync();
        var second = await client.SendAsync();

        Assert.True(first.IsOk);
        Assert.True(first.Bytes > 40_000, $"bytes {first.Bytes}");
        Assert.True(second.IsOk);
        Assert.Equal(1, client.ConnectionsOpened);
    }

    [Fact]
    public async Task SendAsync_HeadersAndStatus_AreSentAndReported()
    {
        await using var backend = await TestBackend.StartAsync(ctx =>
        {
            ctx.Response.StatusCode = ctx.Request.Headers["X-Constitutional-Hash"] == "abc" ? 403 : 200;
            return Task.CompletedTask;
        });
        using var client = new RawHttpClient(new RawHttpClientOptions
        {
            Target = backend.Uri,
            Headers = [new("X-Constitutional-Hash", "abc")],
        });

        var result = await client.SendAsync();

        Assert.False(result.IsOk);
        Assert.Equal(403, result.StatusCode);
    }

    [Fact]
    public async Task SendAsync_HostOption_SentInsteadOfTheTargetAuthority()
    {
        await using var backend = await TestBackend.StartAsync(ctx =>
        {
            ctx.Response.StatusCode = ctx.Request.Host.Value == "orders" ? 200 : 421;
            return Task.CompletedTask;
        });
        using var named = new RawHttpClient(new RawHttpClientOptions { Target = backend.Uri, Host = "orders" });
        using var plain = new RawHttpClient(new RawHttpClientOptions { Target = backend.Uri });

        Assert.Equal(200, (await named.SendAsync()).StatusCode);
        Assert.Equal(421, (await plain.SendAsync()).StatusCode);
        Assert.Throws<ArgumentException>(() => new RawHttpClient(new RawHttpClientOptions { Target = backend.Uri, Host = "a\r\nX: y" }));
    }

    [Fact]
    public async Task SendAsync_AllConnectionsBusyAtCap_WaitsAndCountsPoolWaits()
    {
        // Every request is held at the backend until the other eight wait for a connection: a request answered
        // before the last one is sent would leave its connection idle for it (no wait), however briefly it was held.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = 0;
        await using var backend = await TestBackend.StartAsync(async ctx =>
        {
            Interlocked.Increment(ref arrived);
            await release.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await TestBackend.Ok(ctx);
        });
        using var client = new RawHttpClient(new RawHttpClientOptions { Target = backend.Uri, MaxConnections = 2 });

        var sends = Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.SendAsync().AsTask()));
        try
        {
            await Eventually.TrueAsync(() => Volatile.Read(ref arrived) == 2 && client.PoolWaits == 8, "two requests held, eight waiting for a connection");
        }
        finally
        {
            release.TrySetResult();
        }

        var results = await sends;

        Assert.All(results, r => Assert.True(r.IsOk));
        Assert.Equal(2, client.ConnectionsOpened);
        Assert.Equal(8, client.PoolWaits);
    }

    [Fact]
    public async Task SendAsync_ManyConcurrentRequestsBelowCap_GrowsThePool()
    {
        // Every request is held at the backend until all ten arrived, so none can free its connection for another.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = 0;
        await using var backend = await TestBackend.StartAsync(async ctx =>
        {
            if (Interlocked.Increment(ref arrived) == 10)
            {
                release.SetResult();
            }

            await release.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await TestBackend.Ok(ctx);
        });
        using var client = new RawHttpClient(new RawHttpClientOptions { Target = backend.Uri });

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.SendAsync().AsTask()));

        Assert.All(results, r => Assert.True(r.IsOk));
        Assert.Equal(10, client.ConnectionsOpened);
        Assert.Equal(0, client.PoolWaits);
    }

    [Fact]
    public async Task SendAsync_ServerSlowerThanTimeout_FailsWithStatusZero()
    {
        await using var backend = await TestBackend.StartAsync(async ctx =>
        {
            await Task.Delay(2000);
            await TestBackend.Ok(ctx);
        });
        using var client = new RawHttpClient(new RawHttpClientOptions { Target = backend.Uri, RequestTimeout = TimeSpan.FromMilliseconds(100) });

        var result = await client.SendAsync();

        Assert.True(result.IsTransportError);
    }

    [Fact]
    public void Constructor_InvalidOptions_ReportsEveryError()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RawHttpClient(new RawHttpClientOptions
        {
            Target = new Uri("https://127.0.0.1/"),
            MaxConnections = 0,
            RequestTimeout = TimeSpan.Zero,
        }));

        Assert.Contains("http://", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxConnections", ex.Message, StringComparison.Ordinal);
        Assert.Contains("RequestTimeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ConnectionIdlePastTimeout_ClosesItAndOpensANewOne()
    {
        await using var backend = await TestBackend.StartAsync(TestBackend.Ok);
        var time = new FakeTimeProvider();
        using var client = new RawHttpClient(new RawHttpClientOptions { Target = backend.Uri, IdleTimeout = TimeSpan.FromSeconds(60), Time = time });

        var first = await client.SendAsync();
        time.Advance(TimeSpan.FromSeconds(61));
        var second = await client.SendAsync();

        Assert.True(first.IsOk);
        Assert.True(second.IsOk);
        Assert.Equal(2, client.ConnectionsOpened);
        Assert.Equal(1, client.ConnectionsExpired);
    }

    [Fact]
    public async Task SendAsync_ConnectionIdleWithinTimeout_ReusesIt()
    {
        await using var backend = await TestBackend.StartAsync(TestBackend.Ok);
        var time = new FakeTimeProvider();
        using var client = new RawHttpClient(new RawHttpClientOptions { Target = backend.Uri, IdleTimeout = TimeSpan.FromSeconds(60), Time = time });

        await client.SendAsync();
        time.Advance(TimeSpan.FromSeconds(59));
        var second = await client.SendAsync();

        Assert.True(second.IsOk);
        Assert.Equal(1, client.ConnectionsOpened);
        Assert.Equal(0, client.ConnectionsExpired);
    }

    [Theory]
    [InlineData(ConnectionReuse.MostRecent, 1)]
    [InlineData(ConnectionReuse.Oldest, 3)]
    public async Task SendAsync_AfterABurstOfThree_UsesConnectionsInReuseOrder(ConnectionReuse reuse, int connectionsUsedAfterwards)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = 0;
        var afterBurst = new System.Collections.Concurrent.ConcurrentBag<string>();
        await using var backend = await TestBackend.StartAsync(async ctx =>
        {
            if (Interlocked.Increment(ref held) <= 3)
            {
                await release.Task;
            }
            else
            {
                afterBurst.Add(ctx.Connection.Id);
            }

            await TestBackend.Ok(ctx);
        });
        using var client = new RawHttpClient(new RawHttpClientOptions { Target = backend.Uri, Reuse = reuse });
        var burst = new[] { client.SendAsync().AsTask(), client.SendAsync().AsTask(), client.SendAsync().AsTask() };
        await Eventually.TrueAsync(() => Volatile.Read(ref held) >= 3, "the burst's three requests are held");

        release.SetResult();
        await Task.WhenAll(burst);
        for (var i = 0; i < 6; i++)
        {
            Assert.True((await client.SendAsync()).IsOk);
        }

        Assert.Equal(3, client.ConnectionsOpened);
        Assert.Equal(connectionsUsedAfterwards, afterBurst.Distinct().Count());
    }

    [Fact]
    public void Constructor_UndefinedReuse_ReportsIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RawHttpClient(new RawHttpClientOptions
        {
            Target = new Uri("http://127.0.0.1/"),
            Reuse = (ConnectionReuse)7,
        }));

        Assert.Contains("Reuse", ex.Message, StringComparison.Ordinal);
    }
}
