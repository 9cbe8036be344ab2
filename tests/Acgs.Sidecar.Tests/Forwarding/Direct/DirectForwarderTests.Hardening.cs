// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Acgs.Contracts.Config;
using Acgs.Core;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Forwarding.Direct;
using Acgs.Testing;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Tests.Forwarding.Direct;

/// <summary>
/// What an upstream could do to the client or to the next request through the pooled path: malformed heads (response
/// splitting through a reason phrase or header), bytes beyond a response, a reset after the response began, a slow
/// stream, an upload the client stalls.
/// </summary>
public sealed partial class DirectForwarderTests
{
    [Theory]
    [InlineData("HTTP/1.1 200 OK\rX-Injected: 1\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\nX-Injected: 1\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 O\u0001K\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nX Bad: 1\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Bad\u0000: 1\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Bad: a\u0000b\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Bad: a\nX-Injected: 1\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Bad: a\rb\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Bad: caf\u00e9\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\nContent-Length: 2\n\nok")]
    [InlineData("HTTP/1.1 099 Low\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 000 Zero\r\n\r\n")]
    public async Task Get_MalformedUpstreamHead_502AndConnectionClosed(string head)
    {
        await using var upstream = new RawUpstream(n => n == 1
            ? (Encoding.Latin1.GetBytes(head), false)
            : RawUpstream.Answer("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok2", close: false));
        await using var sidecar = await StartAsync(upstream.Port, direct: true, s => s with { Inbound = new InboundConfig { TimeoutSeconds = 30 } });

        using (var bad = await sidecar.GetInboundAsync("/bad"))
        {
            Assert.Equal(HttpStatusCode.BadGateway, bad.StatusCode);
            Assert.False(bad.Headers.Contains("X-Injected"));
            Assert.False(bad.Headers.Contains("X-Bad"));
        }

        using var next = await sidecar.GetInboundAsync("/next");
        Assert.Equal("ok2", await next.Content.ReadAsStringAsync());
        Assert.Equal(2, upstream.Connections);
        Assert.Equal(2, Forwarder(sidecar).Forwarded);
    }

    [Theory]
    [InlineData("GET", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil")]
    [InlineData("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n", "evil")]
    [InlineData("GET", "HTTP/1.1 204 No Content\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil")]
    public async Task Get_UpstreamSendsBytesAfterResponse_NextRequestGetsItsOwnResponse(string method, string first, string late)
    {
        var lateSent = 0;
        await using var upstream = new RawUpstream(
            n => n == 1 ? RawUpstream.Answer(first, close: false) : RawUpstream.Answer("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok2", close: false),
            async (n, socket) =>
            {
                if (n == 1)
                {
                    await Task.Delay(100); // a later segment: not in the sidecar's buffer when the response ends
                    await socket.SendAsync(Encoding.ASCII.GetBytes(late));
                    Interlocked.Exchange(ref lateSent, 1);
                }

                return false;
            });
        await using var sidecar = await StartAsync(upstream.Port, direct: true);

        using (var response = await sidecar.Client.SendAsync(Request(new HttpMethod(method), sidecar, "/first")))
        {
            Assert.True(response.IsSuccessStatusCode);
            await response.Content.ReadAsByteArrayAsync();
        }

        await Eventually.TrueAsync(() => Volatile.Read(ref lateSent) == 1);
        await Task.Delay(500); // lets the late bytes reach the sidecar's socket (loopback); not a bound on anything

        using var next = await sidecar.GetInboundAsync("/next");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("ok2", await next.Content.ReadAsStringAsync());
        Assert.Equal(2, upstream.Connections);
    }

    [Fact]
    public async Task Get_UpstreamResetsAfterResponseBegan_NotSentAgain502()
    {
        await using var upstream = new RawUpstream(
            n => n == 2 ? RawUpstream.Answer("HTTP/1.1 200 OK\r\n", close: false) : RawUpstream.Answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", close: false),
            async (n, socket) =>
            {
                if (n != 2)
                {
                    return false;
                }

                await Task.Delay(1000); // the sidecar has read the first line of the response
                socket.LingerState = new LingerOption(true, 0);
                socket.Close(); // a reset
                return true;
            });
        await using var sidecar = await StartAsync(upstream.Port, direct: true);

        using (var first = await sidecar.GetInboundAsync("/a"))
        {
            Assert.Equal("ok", await first.Content.ReadAsStringAsync());
        }

        using var second = await sidecar.GetInboundAsync("/b");

        Assert.Equal(HttpStatusCode.BadGateway, second.StatusCode);
        Assert.Equal(2, upstream.Requests);
    }

    [Fact]
    public async Task Get_StreamLongerThanActivityTimeout_NotCutWhileDataFlows()
    {
        await using var app = await KestrelTestServer.StartAsync(
            async context =>
            {
                for (var i = 0; i < 40; i++)
                {
                    await context.Response.WriteAsync("e" + i.ToString(CultureInfo.InvariantCulture) + ";");
                    await context.Response.Body.FlushAsync();
                    await Task.Delay(100); // the stream lasts several activity timeouts
                }
            },
            IPAddress.Loopback);
        await using var sidecar = await StartAsync(app.Port, direct: true);
        Forwarder(sidecar).DefaultActivity = TimeSpan.FromSeconds(2);

        using var response = await sidecar.GetInboundAsync("/events");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Concat(Enumerable.Range(0, 40).Select(static i => "e" + i.ToString(CultureInfo.InvariantCulture) + ";")), body);
        Assert.Equal(1, Forwarder(sidecar).Forwarded);
    }

    [Fact]
    public async Task Post_UpstreamClosesWhileClientUploadStalls_502NotTimeout()
    {
        await using var upstream = new RawUpstream(_ => ([], true));
        await using var sidecar = await StartAsync(upstream.Port, direct: true, s => s with { Inbound = new InboundConfig { TimeoutSeconds = 10 } });

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, sidecar.Host.InboundPort);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /upload HTTP/1.1\r\nHost: localhost\r\n{AcgsConstants.HashHeaderName}: {AcgsConstants.ConstitutionalHash}\r\nContent-Length: 100\r\n\r\n0123456789"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var status = await reader.ReadLineAsync();

        Assert.StartsWith("HTTP/1.1 502", status, StringComparison.Ordinal); // not 504: the stalled upload did not hold the answer
        Assert.Equal(1, upstream.Requests);
    }

    [Fact]
    public async Task Post_ClientBodyFailsBeforeResponse_AnsweredAsClientErrorNotTimeout()
    {
        // The upstream never answers; the client sends part of its body and stalls until Kestrel's minimum body data
        // rate fails the body read (a client-side error, the request not aborted): the wait for the response ends
        // then, not at the cluster timeout, and the breaker does not count it.
        await using var upstream = new RawUpstream(_ => ([], false));
        await using var sidecar = await StartAsync(upstream.Port, direct: true, s => s with { Inbound = new InboundConfig { TimeoutSeconds = 60 } });

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, sidecar.Host.InboundPort);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /upload HTTP/1.1\r\nHost: localhost\r\n{AcgsConstants.HashHeaderName}: {AcgsConstants.ConstitutionalHash}\r\nContent-Length: 100000\r\n\r\n0123456789"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var status = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(50)); // the cluster timeout would answer at 60 s

        Assert.StartsWith("HTTP/1.1 4", status, StringComparison.Ordinal);
        Assert.Equal(0, Breaker(sidecar).ConsecutiveFailures);
        Assert.Equal(1, Forwarder(sidecar).Forwarded);
    }

    [Fact]
    public void DirectRecordFailure_ClientBodyEndedEarly_NotCountedAsUpstreamFailure()
    {
        using var harness = new Acgs.Sidecar.Tests.Resilience.ResilienceHarness();
        var cluster = Acgs.Sidecar.Tests.Resilience.ResilienceHarness.NewCluster("direct-body");
        harness.Client(cluster, Acgs.Sidecar.Tests.Resilience.ResilienceHarness.Breaker(failMax: 1));
        var handler = harness.Factory.HandlerFor(cluster)!;
        var applied = handler.DirectSettings();

        var tripped = handler.DirectRecordFailure(
            handler.DirectAcquire(), new DirectClientBodyException(new IOException("The request body ended before its Content-Length.")), timedOut: false,
            clientCancelled: false, applied);

        Assert.False(tripped);
        Assert.Equal(CircuitState.Closed, harness.Registry.Get(cluster).State);
        Assert.Equal(0, harness.Registry.Get(cluster).ConsecutiveFailures);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1 junk\r\nx\r\n0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n")]
    [InlineData("TRAILERS")]
    public async Task Get_MalformedChunkedResponse_NotDeliveredAndConnectionClosed(string answer)
    {
        var bytes = answer == "TRAILERS"
            ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n" + string.Concat(Enumerable.Repeat("T: v\r\n", 200)) + "\r\n"
            : answer;
        await using var upstream = new RawUpstream(n => n == 1
            ? RawUpstream.Answer(bytes, close: false)
            : RawUpstream.Answer("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok2", close: false));
        await using var sidecar = await StartAsync(upstream.Port, direct: true);

        try
        {
            using var bad = await sidecar.GetInboundAsync("/bad");
            Assert.Equal(HttpStatusCode.BadGateway, bad.StatusCode); // or the client connection aborted, when the response had started
        }
        catch (HttpRequestException)
        {
        }

        using var next = await sidecar.GetInboundAsync("/next");
        Assert.Equal("ok2", await next.Content.ReadAsStringAsync());
        Assert.Equal(2, upstream.Connections);
    }
}
