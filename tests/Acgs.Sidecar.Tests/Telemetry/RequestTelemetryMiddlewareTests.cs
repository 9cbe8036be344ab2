// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Metering;
using Acgs.Contracts.RateLimiting;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Identity;
using Acgs.Sidecar.Metering;
using Acgs.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.Sidecar.Tests.Telemetry;

/// <summary>
/// The telemetry middleware's per-caller series of an inbound request: the caller label
/// (<c>acgs_inbound_caller_requests_total</c>) and the golden edge, both from one lookup of the connection's peer identity,
/// and, while metering is on, the request's usage, recorded by the same completion callback.
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

    [Fact]
    public async Task InvokeAsync_MeteringOn_EachInboundRequestMeteredOnceByTheCompletionCallback()
    {
        var recorder = new UsageRecorder();
        var middleware = new RequestTelemetryMiddleware(Next, new ListenerPorts(), new TelemetryRegistry(new SidecarMetrics(), new GoldenEdges(new FakeTimeProvider())), new LatencyStats(),
            metering: new InboundMetering(recorder));
        var peer = new PeerIdentityFeature("spiffe://acgs.local/svc/payments");

        await SendAsync(middleware, peer, StatusCodes.Status200OK, "tenant-a");
        await SendAsync(middleware, peer, StatusCodes.Status200OK, "tenant-a");
        await SendAsync(middleware, null, StatusCodes.Status429TooManyRequests, null);

        var rows = recorder.Collect();
        Assert.Equal(2, rows.Count);
        var payments = Assert.Single(rows, r => r.Source == "payments");
        Assert.Equal((MeteringKinds.Http, "/api", "tenant-a", 2, 2L), (payments.Kind, payments.Operation, payments.Tenant, payments.StatusClass, payments.Count));
        var anonymous = Assert.Single(rows, r => r.Source == PeerIdentityMiddleware.Unauthenticated);
        Assert.Equal(("/api", MeteringKinds.NoTenant, 4, 1L), (anonymous.Operation, anonymous.Tenant, anonymous.StatusClass, anonymous.Count));
    }

    [Fact]
    public async Task InvokeAsync_RequestNotYetCompleted_NotMetered()
    {
        var recorder = new UsageRecorder();
        var middleware = new RequestTelemetryMiddleware(Next, new ListenerPorts(), new TelemetryRegistry(new SidecarMetrics(), new GoldenEdges(new FakeTimeProvider())), new LatencyStats(),
            metering: new InboundMetering(recorder));
        var response = new CompletingResponseFeature { StatusCode = StatusCodes.Status200OK };
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpResponseFeature>(response);
        context.Request.Path = "/api";

        await middleware.InvokeAsync(context);
        var beforeCompletion = recorder.Collect();
        await response.CompleteAsync();

        Assert.Empty(beforeCompletion);
        Assert.Equal(1L, Assert.Single(recorder.Collect()).Count);
    }

    // Listeners not bound: every port reads 0, so a request on local port 0 is an inbound one.
    private static async Task SendAsync(RequestTelemetryMiddleware middleware, PeerIdentityFeature? peer, int status, string? tenant = null)
    {
        var response = new CompletingResponseFeature { StatusCode = status };
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpResponseFeature>(response);
        context.Request.Path = "/api/entries";
        if (tenant is not null)
        {
            context.Request.Headers[RateLimits.TenantHeader] = tenant;
        }

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
