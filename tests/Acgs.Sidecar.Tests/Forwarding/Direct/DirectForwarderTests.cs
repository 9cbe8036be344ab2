// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Acgs.Contracts.Config;
using Acgs.Core;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Forwarding.Direct;
using Acgs.Sidecar.Inbound;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.Sidecar.Tests.Forwarding.Direct;

/// <summary>
/// The sidecar's own HTTP/1.1 forwarding path (<c>ACGS_DIRECT_FORWARD</c>) through a real sidecar, real Kestrel or
/// raw-socket upstreams and real sockets: what the upstream and the client see is what YARP's path gives them, the
/// breaker and timeout apply as on YARP's path, connections are pooled and replaced when the upstream closes them.
/// </summary>
public sealed partial class DirectForwarderTests
{
    private const string Service = "svc-test";

    [Fact]
    public async Task Forward_DirectOnAndOff_UpstreamSeesTheSameRequests()
    {
        var off = await UpstreamViewsAsync(direct: false);
        var on = await UpstreamViewsAsync(direct: true);

        Assert.Equal(0, off.Forwarded);
        Assert.Equal(on.Views.Count, on.Forwarded);
        Assert.Equal(off.Views.Count, on.Views.Count);
        for (var i = 0; i < off.Views.Count; i++)
        {
            Assert.Equal(off.Views[i], on.Views[i]);
        }

        var hopByHop = on.Views[1];
        Assert.DoesNotContain("keep-alive:", hopByHop, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("proxy-authorization:", hopByHop, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("proxy-connection:", hopByHop, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("upgrade-insecure-requests:", hopByHop, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http2-settings:", hopByHop, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("x-forwarded-for: 127.0.0.1\n", hopByHop, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("x-custom: kept\n", hopByHop, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Get_ResponseHeaders_ClientSeesTheSameOnAndOff()
    {
        var off = await ClientViewsAsync(direct: false);
        var on = await ClientViewsAsync(direct: true);

        Assert.Equal(off, on);
        Assert.Contains("set-cookie: a=1\n", on[0], StringComparison.Ordinal);
        Assert.Contains("set-cookie: b=2\n", on[0], StringComparison.Ordinal);
        Assert.DoesNotContain("upgrade-insecure-requests:", on[0], StringComparison.Ordinal);
        Assert.DoesNotContain("http2-settings:", on[0], StringComparison.Ordinal);
        Assert.DoesNotContain("keep-alive:", on[0], StringComparison.Ordinal);
        Assert.DoesNotContain("proxy-", on[0], StringComparison.Ordinal);
        Assert.StartsWith("201 Custom Words\n", on[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ContentLengthBody_UpstreamGetsBodyClientGetsEcho()
    {
        await using var app = await KestrelTestServer.StartAsync(EchoAsync, IPAddress.Loopback);
        await using var sidecar = await StartAsync(app.Port, direct: true);

        using var request = Request(HttpMethod.Post, sidecar, "/echo");
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("hello upstream"));
        using var response = await sidecar.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello upstream", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, Forwarder(sidecar).Forwarded);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Post_LargeBody_StreamedBothWaysIntact(bool direct)
    {
        await using var app = await KestrelTestServer.StartAsync(EchoAsync, IPAddress.Loopback);
        await using var sidecar = await StartAsync(app.Port, direct);
        var body = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(body);

        using var request = Request(HttpMethod.Post, sidecar, "/echo");
        request.Content = new ByteArrayContent(body);
        using var response = await sidecar.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(direct ? 1 : 0, Forwarder(sidecar).Forwarded);
    }

    [Fact]
    public async Task Get_ChunkedResponse_ClientGetsWholeBodyAndConnectionReused()
    {
        await using var app = await KestrelTestServer.StartAsync(
            async context =>
            {
                for (var i = 0; i < 5; i++)
                {
                    await context.Response.WriteAsync("part" + i.ToString(CultureInfo.InvariantCulture) + ";");
                    await context.Response.Body.FlushAsync();
                }
            },
            IPAddress.Loopback);
        await using var sidecar = await StartAsync(app.Port, direct: true);

        for (var round = 0; round < 3; round++)
        {
            using var response = await sidecar.GetInboundAsync("/chunks");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("part0;part1;part2;part3;part4;", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(3, Forwarder(sidecar).Forwarded);
        Assert.Equal(1, Forwarder(sidecar).ConnectionsOpened);
    }

    [Fact]
    public async Task Get_CloseDelimitedResponse_ClientGetsBodyAndNextRequestOnNewConnection()
    {
        await using var upstream = new RawUpstream(_ => RawUpstream.Answer("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", close: true));
        await using var sidecar = await StartAsync(upstream.Port, direct: true);

        for (var round = 0; round < 2; round++)
        {
            using var response = await sidecar.GetInboundAsync("/close");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("until the end", await response.Content.ReadAsStringAsync());
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(2, upstream.Connections);
        Assert.Equal(2, Forwarder(sidecar).Forwarded);
    }

    [Fact]
    public async Task Head_ResponseWithContentLength_NoBodyReadAndConnectionReused()
    {
        await using var upstream = new RawUpstream(n => n == 1
            ? RawUpstream.Answer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", close: false)
            : RawUpstream.Answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", close: false));
        await using var sidecar = await StartAsync(upstream.Port, direct: true);

        using (var head = await sidecar.Client.SendAsync(Request(HttpMethod.Head, sidecar, "/h")))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(100, head.Content.Headers.ContentLength);
        }

        using var get = await sidecar.GetInboundAsync("/g");
        Assert.Equal("ok", await get.Content.ReadAsStringAsync());
        Assert.Equal(1, upstream.Connections);
    }

    [Theory]
    [InlineData(204)]
    [InlineData(304)]
    public async Task Get_NoContentStatus_NoBodyAndConnectionReused(int status)
    {
        await using var upstream = new RawUpstream(n => n == 1
            ? RawUpstream.Answer($"HTTP/1.1 {status} X\r\nETag: \"v1\"\r\n\r\n", close: false)
            : RawUpstream.Answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", close: false));
        await using var sidecar = await StartAsync(upstream.Port, direct: true);

        using (var first = await sidecar.GetInboundAsync("/n"))
        {
            Assert.Equal(status, (int)first.StatusCode);
            Assert.Empty(await first.Content.ReadAsByteArrayAsync());
            Assert.Equal("\"v1\"", first.Headers.ETag?.Tag);
        }

        using var second = await sidecar.GetInboundAsync("/g");
        Assert.Equal("ok", await second.Content.ReadAsStringAsync());
        Assert.Equal(1, upstream.Connections);
    }

    [Fact]
    public async Task Get_SequentialRequests_UpstreamSeesOneConnection()
    {
        var connections = new ConcurrentDictionary<string, int>();
        await using var app = await KestrelTestServer.StartAsync(
            context =>
            {
                connections.AddOrUpdate(context.Connection.Id, 1, static (_, n) => n + 1);
                return context.Response.WriteAsync("ok");
            },
            IPAddress.Loopback);
        await using var sidecar = await StartAsync(app.Port, direct: true);

        for (var i = 0; i < 20; i++)
        {
            using var response = await sidecar.GetInboundAsync("/reuse");
            Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(20, Assert.Single(connections).Value);
        Assert.Equal(20, Forwarder(sidecar).Forwarded);
    }

    [Fact]
    public async Task Get_UpstreamClosedPooledConnection_NextRequestSucceedsOnFreshConnection()
    {
        // Every connection answers one request as keep-alive and then closes: the pooled connection is dead when reused.
        await using var upstream = new RawUpstream(_ => RawUpstream.Answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", close: true));
        await using var sidecar = await StartAsync(upstream.Port, direct: true);

        using (var first = await sidecar.GetInboundAsync("/a"))
        {
            Assert.Equal("ok", await first.Content.ReadAsStringAsync());
        }

        await Eventually.TrueAsync(() => upstream.Closed == 1);
        using var second = await sidecar.GetInboundAsync("/b");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("ok", await second.Content.ReadAsStringAsync());
        Assert.Equal(2, upstream.Connections);
        Assert.Equal(0, Breaker(sidecar).ConsecutiveFailures);
    }

    [Fact]
    public async Task Post_UpstreamClosedPooledConnection_BodyRequestSentOnFreshConnection()
    {
        // A request with a body cannot be sent again once its body was read: a pooled connection the upstream closed
        // is found before it is used.
        await using var upstream = new RawUpstream(_ => RawUpstream.Answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", close: true));
        await using var sidecar = await StartAsync(upstream.Port, direct: true);

        using (var first = await sidecar.GetInboundAsync("/a"))
        {
            Assert.Equal("ok", await first.Content.ReadAsStringAsync());
        }

        await Eventually.TrueAsync(() => upstream.Closed == 1);
        using var request = Request(HttpMethod.Post, sidecar, "/p");
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("x"));
        using var second = await sidecar.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("ok", await second.Content.ReadAsStringAsync());
        Assert.Equal(2, upstream.Connections);
    }

    [Fact]
    public async Task Post_UpstreamClosesAfterBody_NotResent502()
    {
        // The upstream reads the head, then closes without answering: a request whose body was sent is not sent again.
        await using var upstream = new RawUpstream(_ => ([], true));
        await using var sidecar = await StartAsync(upstream.Port, direct: true);

        using var request = Request(HttpMethod.Post, sidecar, "/p");
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("x"));
        using var response = await sidecar.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(1, upstream.Requests);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Get_UpstreamRefuses_502AndFailureCounted(bool direct)
    {
        await using var sidecar = await StartAsync(SidecarTestHost.FreePort(), direct);

        using var response = await sidecar.GetInboundAsync("/down");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(1, Breaker(sidecar).ConsecutiveFailures);
        Assert.Equal(direct ? 1 : 0, Forwarder(sidecar).Forwarded);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Get_UpstreamSlow_504WithinClusterTimeout(bool direct)
    {
        await using var app = await KestrelTestServer.StartAsync(
            async context =>
            {
                await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted); // the slow upstream under test
            },
            IPAddress.Loopback);
        await using var sidecar = await StartAsync(app.Port, direct, s => s with { Inbound = new InboundConfig { TimeoutSeconds = 0.5 } });

        using var response = await sidecar.GetInboundAsync("/slow");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal(1, Breaker(sidecar).ConsecutiveFailures);
        Assert.Equal(direct ? 1 : 0, Forwarder(sidecar).Forwarded);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Get_UpstreamFailing_BreakerOpensThenRejects503(bool direct)
    {
        var calls = 0;
        await using var app = await KestrelTestServer.StartAsync(
            context =>
            {
                Interlocked.Increment(ref calls);
                context.Response.StatusCode = 503;
                return Task.CompletedTask;
            },
            IPAddress.Loopback);
        await using var sidecar = await StartAsync(app.Port, direct, s => s with
        {
            Inbound = new InboundConfig { Breaker = new BreakerSettings { FailMax = 2, ResetTimeoutSeconds = 30 }, TimeoutSeconds = 5 },
        });

        using (var first = await sidecar.GetInboundAsync("/f"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
            Assert.False(first.Headers.Contains("x-acgs-circuit"));
        }

        using (var tripping = await sidecar.GetInboundAsync("/f"))
        {
            Assert.Equal("open", Assert.Single(tripping.Headers.GetValues("x-acgs-circuit")));
        }

        using var rejected = await sidecar.GetInboundAsync("/f");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, rejected.StatusCode);
        Assert.Equal("open", Assert.Single(rejected.Headers.GetValues("x-acgs-circuit")));
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType?.MediaType);
        Assert.Contains("urn:acgs:circuit-open", await rejected.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, Volatile.Read(ref calls));
        Assert.Equal(CircuitState.Open, Breaker(sidecar).State);
        Assert.Equal(direct ? 3 : 0, Forwarder(sidecar).Forwarded);
    }

    [Fact]
    public async Task Get_ClientAbortsMidBody_UpstreamRequestAbortedBreakerUntouched()
    {
        var upstreamAborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await KestrelTestServer.StartAsync(
            async context =>
            {
                context.RequestAborted.Register(() => upstreamAborted.TrySetResult());
                await context.Response.WriteAsync("first part");
                await context.Response.Body.FlushAsync();
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted); // the rest never comes
                }
                catch (OperationCanceledException)
                {
                }
            },
            IPAddress.Loopback);
        await using var sidecar = await StartAsync(app.Port, direct: true);

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, sidecar.Host.InboundPort);
            var stream = client.GetStream();
            var head = $"GET /stream HTTP/1.1\r\nHost: localhost\r\n{AcgsConstants.HashHeaderName}: {AcgsConstants.ConstitutionalHash}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            var buffer = new byte[4096];
            var received = new StringBuilder();
            while (!received.ToString().Contains("first part", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer);
                Assert.True(read > 0, "the sidecar closed before the first part");
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }

        await upstreamAborted.Task.WaitAsync(Eventually.DefaultTimeout);
        Assert.Equal(0, Breaker(sidecar).ConsecutiveFailures);
        Assert.Equal(1, Forwarder(sidecar).Forwarded);
    }

    [Fact]
    public async Task Post_ChunkedRequestBody_LeftToYarp()
    {
        await using var app = await KestrelTestServer.StartAsync(EchoAsync, IPAddress.Loopback);
        await using var sidecar = await StartAsync(app.Port, direct: true);

        using var request = Request(HttpMethod.Post, sidecar, "/echo");
        request.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("chunked body")));
        request.Headers.TransferEncodingChunked = true;
        using var response = await sidecar.Client.SendAsync(request);

        Assert.Equal("chunked body", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, Forwarder(sidecar).Forwarded);
    }

    [Fact]
    public void Load_DirectForwardSetting_DefaultOnOffAndBadValueRejected()
    {
        var unset = BootstrapLoader.Load([], new Dictionary<string, string?>());
        var off = BootstrapLoader.Load([], new Dictionary<string, string?> { ["ACGS_DIRECT_FORWARD"] = "off" });
        var bad = BootstrapLoader.Load([], new Dictionary<string, string?> { ["ACGS_DIRECT_FORWARD"] = "sometimes" });

        Assert.True(unset.Bootstrap!.Options.DirectForward);
        Assert.False(off.Bootstrap!.Options.DirectForward);
        Assert.Equal("ACGS_DIRECT_FORWARD: must be 1, 0, true, false, yes, no, on or off (got 'sometimes')", Assert.Single(bad.Errors));
    }

    private static async Task<(List<string> Views, long Forwarded)> UpstreamViewsAsync(bool direct)
    {
        var views = new List<string>();
        await using var app = await KestrelTestServer.StartAsync(
            async context =>
            {
                var view = new StringBuilder();
                view.Append(context.Request.Method).Append(' ').Append(context.Request.Path).Append(context.Request.QueryString).Append(' ')
                    .Append(context.Request.Protocol).Append('\n');
                foreach (var header in context.Request.Headers.OrderBy(static h => h.Key, StringComparer.OrdinalIgnoreCase))
                {
                    view.Append(header.Key.ToLowerInvariant()).Append(": ").Append(header.Value.ToString()).Append('\n');
                }

                using var reader = new StreamReader(context.Request.Body);
                view.Append("body: ").Append(await reader.ReadToEndAsync());
                lock (views)
                {
                    views.Add(view.ToString());
                }

                context.Response.Headers["x-upstream"] = "yes";
                await context.Response.WriteAsync("ok");
            },
            IPAddress.Loopback);
        await using var sidecar = await StartAsync(app.Port, direct);

        using (var plain = await sidecar.Client.SendAsync(Request(HttpMethod.Get, sidecar, "/orders/42?x=1&y=two")))
        {
            Assert.Equal("ok", await plain.Content.ReadAsStringAsync());
            Assert.Equal("yes", Assert.Single(plain.Headers.GetValues("x-upstream")));
        }

        using (var hop = Request(HttpMethod.Get, sidecar, "/hop"))
        {
            hop.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
            hop.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic eDp5");
            hop.Headers.TryAddWithoutValidation("Proxy-Connection", "keep-alive");
            hop.Headers.TryAddWithoutValidation("Upgrade-Insecure-Requests", "1");
            hop.Headers.TryAddWithoutValidation("HTTP2-Settings", "AAMAAABkAAQAAP__");
            hop.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.7");
            hop.Headers.TryAddWithoutValidation("X-Forwarded-Prefix", "/gateway");
            hop.Headers.TryAddWithoutValidation("X-Custom", "kept");
            hop.Headers.TryAddWithoutValidation("Accept", "text/plain");
            using var response = await sidecar.Client.SendAsync(hop);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var post = Request(HttpMethod.Post, sidecar, "/submit"))
        {
            post.Content = new StringContent("{\"a\":1}", Encoding.UTF8, "application/json");
            using var response = await sidecar.Client.SendAsync(post);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var empty = Request(HttpMethod.Post, sidecar, "/empty"))
        {
            using var response = await sidecar.Client.SendAsync(empty);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var delete = Request(HttpMethod.Delete, sidecar, "/items/7"))
        {
            using var response = await sidecar.Client.SendAsync(delete);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Raw requests HttpClient would not send: a POST without Content-Length (no body), an HTTP/1.0 request.
        foreach (var raw in (string[])["POST /raw HTTP/1.1\r\nHost: localhost\r\n", "GET /ten HTTP/1.0\r\nHost: localhost\r\n"])
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, sidecar.Host.InboundPort);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(raw + $"{AcgsConstants.HashHeaderName}: {AcgsConstants.ConstitutionalHash}\r\nConnection: close\r\n\r\n"));
            using var reader = new StreamReader(stream, Encoding.ASCII);
            Assert.StartsWith("HTTP/1.1 200", await reader.ReadToEndAsync(), StringComparison.Ordinal);
        }

        var port = ":" + sidecar.Host.InboundPort.ToString(CultureInfo.InvariantCulture);
        return (views.Select(v => v.Replace(port, ":PORT", StringComparison.Ordinal)).ToList(), Forwarder(sidecar).Forwarded);
    }

    // Two responses of a raw upstream with connection-level, repeated and custom headers (the second with its own
    // reason phrase and a chunked body); what the client sees of each, Date left out, headers sorted.
    private static async Task<List<string>> ClientViewsAsync(bool direct)
    {
        await using var upstream = new RawUpstream(n => n == 1
            ? RawUpstream.Answer(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n"
                + "HTTP2-Settings: AAMAAABkAAQAAP__\r\nSet-Cookie: a=1\r\n"
                + "Set-Cookie: b=2\r\nX-Thing:   padded value  \r\nCache-Control: no-store\r\nContent-Length: 5\r\n\r\nhello",
                close: false)
            : RawUpstream.Answer(
                "HTTP/1.1 201 Custom Words\r\nTransfer-Encoding: chunked\r\nX-Thing: second\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer-A: t\r\n\r\n",
                close: false));
        await using var sidecar = await StartAsync(upstream.Port, direct);
        var views = new List<string>();
        foreach (var path in (string[])["/one", "/two"])
        {
            using var response = await sidecar.GetInboundAsync(path);
            var view = new StringBuilder();
            view.Append((int)response.StatusCode).Append(' ').Append(response.ReasonPhrase).Append('\n');
            foreach (var header in response.Headers.Concat(response.Content.Headers).Where(static h => h.Key != "Date").OrderBy(static h => h.Key, StringComparer.Ordinal))
            {
                foreach (var value in header.Value)
                {
                    view.Append(header.Key.ToLowerInvariant()).Append(": ").Append(value).Append('\n');
                }
            }

            view.Append("body: ").Append(await response.Content.ReadAsStringAsync());
            views.Add(view.ToString());
        }

        Assert.Equal(direct ? 2 : 0, Forwarder(sidecar).Forwarded);
        return views;
    }

    private static async Task EchoAsync(HttpContext context)
    {
        if (context.Request.ContentLength is { } length)
        {
            context.Response.ContentLength = length;
        }

        await context.Request.Body.CopyToAsync(context.Response.Body);
    }

    private static HttpRequestMessage Request(HttpMethod method, SidecarTestHost sidecar, string path) =>
        SidecarTestHost.Request(method, sidecar.Inbound, path);

    private static DirectForwarder Forwarder(SidecarTestHost sidecar) => sidecar.Host.Services.GetRequiredService<DirectForwarder>();

    private static CircuitBreaker Breaker(SidecarTestHost sidecar) =>
        sidecar.Host.Services.GetRequiredService<CircuitBreakerRegistry>().Get(InboundCluster.IdFor(Service));

    private static Task<SidecarTestHost> StartAsync(int appPort, bool direct, Func<ConfigSnapshot, ConfigSnapshot>? snapshot = null)
    {
        var options = SidecarTestHost.Options(appPort, Service) with { DirectForward = direct };
        var first = SidecarTestHost.Snapshot(Service);
        return SidecarTestHost.StartAsync(new SidecarBootstrap(options, snapshot is null ? first : snapshot(first), ConfigSources.Bootstrap, HashOverrides.None));
    }
}
