// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Identity;
using Acgs.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.Sidecar.Tests.Telemetry;

/// <summary>
/// The telemetry middleware's per-caller series of an inbound request: the caller label
/// (<c>acgs_inbound_caller_requests_total</c>) and the golden edge, both from one lookup of the connection's peer identity.
/// </summary>
public sealed class RequestTelemetryMiddlewareTests
{
    private static readonly RequestDelegate Next = static _ => Task.CompletedTask;

    [Fact]
    public async Task InvokeAsync_MtlsCallerManyRequests_CallerLabelAndGoldenEdgeCountedAndKeptOnTheConnection()
    {
        var metrics = new SidecarMetrics();
        var golden = new GoldenEdges(new FakeTimeProvider());
        var callers = new CallerMetrics(metrics);
        var middleware = new RequestTelemetryMiddleware(Next, new ListenerPorts(), new TelemetryRegistry(metrics, golden), new LatencyStats(), callers: callers);
        var peer = new PeerIdentityFeature("spiffe://acgs.local/svc/payments");

        await SendAsync(middleware, peer, StatusCodes.Status200OK);
        var edge = peer.GoldenEdge;
        var slot = peer.CallerSlot;
        await SendAsync(middleware, peer, StatusCodes.Status503ServiceUnavailable);
        await SendAsync(middleware, null, StatusCodes.Status200OK);

        Assert.NotNull(edge);
        Assert.Same(edge, peer.GoldenEdge); // resolved on the connection's first request, kept for the others
        Assert.Equal(slot, peer.CallerSlot);
        Assert.Equal("payments", edge.Peer);
        Assert.Equal(2, edge.Requests);
        Assert.Equal(1, edge.Errors);
        Assert.Equal(1, golden.Unauthenticated.Requests);
        var text = await ScrapeAsync(metrics);
        Assert.Contains("acgs_inbound_caller_requests_total{caller=\"spiffe://acgs.local/svc/payments\",code_class=\"2xx\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("acgs_inbound_caller_requests_total{caller=\"spiffe://acgs.local/svc/payments\",code_class=\"5xx\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("acgs_inbound_caller_requests_total{caller=\"unauthenticated\",code_class=\"2xx\"} 1", text, StringComparison.Ordinal);
    }

    // Listeners not bound: every port reads 0, so a request on local port 0 is an inbound one.
    private static async Task SendAsync(RequestTelemetryMiddleware middleware, PeerIdentityFeature? peer, int status)
    {
        var response = new CompletingResponseFeature { StatusCode = status };
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpResponseFeature>(response);
        if (peer is not null)
        {
            context.Features.Set(peer);
        }

        await middleware.InvokeAsync(context);
        await response.CompleteAsync();
    }

    private static async Task<string> ScrapeAsync(SidecarMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Holds the completion callback and runs it, as Kestrel does once the response is sent.</summary>
    private sealed class CompletingResponseFeature : HttpResponseFeature
    {
        private Func<object, Task>? _callback;
        private object? _state;

        public override void OnCompleted(Func<object, Task> callback, object state)
        {
            _callback = callback;
            _state = state;
        }

        public Task CompleteAsync() => _callback is { } callback ? callback(_state!) : Task.CompletedTask;
    }
}
