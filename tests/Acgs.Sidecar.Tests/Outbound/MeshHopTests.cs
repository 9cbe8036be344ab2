// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Sidecar.Outbound;
using Acgs.Sidecar.Resilience;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Transforms;

namespace Acgs.Sidecar.Tests.Outbound;

/// <summary>The per-request hop protocol: the transform raises an HTTP/2 caller's request to HTTP/2, the handler sends by
/// version (the real-TLS path is in <c>OutboundMtlsTests</c>).</summary>
public sealed class MeshHopTests
{
    [Theory]
    [InlineData("HTTP/2", false, "2.0")]
    [InlineData("HTTP/1.1", false, "1.1")]
    [InlineData("HTTP/1.0", false, "1.1")]
    [InlineData("HTTP/2", true, "1.1")] // a WebSocket over HTTP/2: YARP's HTTP/1.1 upgrade is left alone
    public async Task OnRequest_CallerProtocol_UpstreamVersion(string protocol, bool extendedConnect, string expected)
    {
        var http = new DefaultHttpContext();
        http.Request.Protocol = protocol;
        if (extendedConnect)
        {
            http.Features.Set<IHttpExtendedConnectFeature>(new ExtendedConnect());
        }

        using var proxyRequest = new HttpRequestMessage { Version = HttpVersion.Version11 };

        await MeshHopTransform.OnRequest(new RequestTransformContext { HttpContext = http, ProxyRequest = proxyRequest });

        Assert.Equal(Version.Parse(expected), proxyRequest.Version);
    }

    [Theory]
    [InlineData("1.1", "http1")]
    [InlineData("1.0", "http1")]
    [InlineData("2.0", "http2")]
    public async Task SendAsync_RequestVersion_GoesToThatPool(string version, string expected)
    {
        using var handler = new MeshHopHandler(new Named("http1"), new Named("http2"));
        using var invoker = new HttpMessageInvoker(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://orders/") { Version = Version.Parse(version) };

        using var response = await invoker.SendAsync(request, CancellationToken.None);

        Assert.Equal(expected, response.ReasonPhrase);
    }

    private sealed class Named(string name) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { ReasonPhrase = name });
    }

    private sealed class ExtendedConnect : IHttpExtendedConnectFeature
    {
        public bool IsExtendedConnect => true;

        public string? Protocol => "websocket";

        public ValueTask<Stream> AcceptAsync() => throw new NotSupportedException();
    }
}
