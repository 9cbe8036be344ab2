// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Sockets;
using System.Text;
using Acgs.Contracts.Config;
using Acgs.Core;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Acgs.Sidecar.Tests.HashEnforcement;

/// <summary>
/// The request body limit (413 problem+json before anything reaches the app), exempt prefixes matched on the
/// normalised path, and encoded slashes forwarded as sent, through a real sidecar and a real upstream that records
/// the raw request target it got.
/// </summary>
public sealed class BodiesAndPathsTests : IAsyncLifetime
{
    private const long Limit = 1000;
    private readonly List<string> _targets = [];
    private KestrelTestServer _app = null!;
    private SidecarTestHost _sidecar = null!;

    public async Task InitializeAsync()
    {
        _app = await KestrelTestServer.StartAsync(async context =>
        {
            var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            lock (_targets)
            {
                _targets.Add(context.Features.Get<IHttpRequestFeature>()!.RawTarget + " " + body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            await context.Response.WriteAsync("ok");
        });
        var options = SidecarTestHost.Options(_app.Port);
        var snapshot = SidecarTestHost.Snapshot() with { HashPolicy = new HashPolicy { ExemptPathPrefixes = ["/healthz"] } };
        _sidecar = await SidecarTestHost.StartAsync(new SidecarBootstrap(options, snapshot, ConfigSources.Bootstrap, HashOverrides.None)
        {
            Limits = new ListenerLimits { MaxRequestBodyBytes = Limit },
        });
    }

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Post_ContentLengthOverLimit_413ProblemAndAppGetsNothing()
    {
        using var request = SidecarTestHost.Request(HttpMethod.Post, _sidecar.Inbound, "/upload");
        request.Content = new ByteArrayContent(new byte[Limit + 1]);

        using var response = await _sidecar.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("urn:acgs:request-body-too-large", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Targets());
    }

    [Fact]
    public async Task Post_ChunkedBodyOverLimit_413AndAppNeverGetsAWholeRequest()
    {
        var status = await RawAsync(
            "POST /upload HTTP/1.1\r\nHost: app\r\nX-Constitutional-Hash: " + AcgsConstants.ConstitutionalHash + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + "800\r\n" + new string('a', 0x800) + "\r\n0\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 413", status, StringComparison.Ordinal);
        Assert.Contains("urn:acgs:request-body-too-large", status, StringComparison.Ordinal);
        Assert.DoesNotContain(Targets(), static t => t.StartsWith("/upload 2048", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_BodyWithinLimit_Forwarded()
    {
        using var request = SidecarTestHost.Request(HttpMethod.Post, _sidecar.Inbound, "/upload");
        request.Content = new ByteArrayContent(new byte[Limit]);

        using var response = await _sidecar.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/upload 1000", Targets());
    }

    [Theory]
    [InlineData("/healthz/..;/secret")]
    [InlineData("/healthz/..%5csecret")]
    [InlineData("/healthz/..%5Csecret")]
    [InlineData("/healthz\\..\\secret")]
    [InlineData("/healthz/x%2f..%2f..%2fsecret")]
    [InlineData("/healthz;a=b/../secret")]
    public async Task Get_PathEscapingExemptPrefix_NeedsTheHash(string path)
    {
        var status = await RawAsync($"GET {path} HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 403", status, StringComparison.Ordinal);
        Assert.Empty(Targets());
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/healthz/live")]
    [InlineData("/healthz/a/../live")]
    [InlineData("/healthz/%6cive")]
    public async Task Get_PathUnderExemptPrefix_ServedWithoutHash(string path)
    {
        var status = await RawAsync($"GET {path} HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_EncodedSlash_ForwardedAsSent()
    {
        var status = await RawAsync("GET /files/a%2fb?x=1 HTTP/1.1\r\nHost: app\r\nX-Constitutional-Hash: " + AcgsConstants.ConstitutionalHash + "\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", status, StringComparison.Ordinal);
        Assert.Equal(["/files/a%2fb?x=1 0"], Targets());
    }

    private List<string> Targets()
    {
        lock (_targets)
        {
            return [.. _targets];
        }
    }

    /// <summary>Sends <paramref name="request"/> as written (no client normalises it) and returns the whole response.</summary>
    private async Task<string> RawAsync(string request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, _sidecar.Host.InboundPort);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        try
        {
            return await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (IOException)
        {
            return string.Empty; // reset before an answer
        }
    }
}
