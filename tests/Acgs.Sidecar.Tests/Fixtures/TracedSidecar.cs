// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Core;
using Acgs.Testing;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Tests.Fixtures;

/// <summary>
/// One built sidecar exporting spans to an <see cref="OtlpReceiver"/> every 100 ms, in front of an app that records
/// the trace headers of each request it receives; the sampler and any other settings are the caller's.
/// </summary>
internal sealed class TracedSidecar : IAsyncDisposable
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly List<(string? TraceParent, string? TraceState)> _received = [];
    private KestrelTestServer? _app;

    private TracedSidecar(OtlpReceiver receiver)
    {
        Receiver = receiver;
    }

    /// <summary>Where the sidecar exports its spans.</summary>
    public OtlpReceiver Receiver { get; }

    /// <summary>The sidecar process.</summary>
    public SidecarProcess Sidecar { get; private set; } = null!;

    /// <summary>
    /// Starts the receiver, the app and the sidecar of <paramref name="service"/> with <paramref name="settings"/>
    /// (the sampler's <c>OTEL_TRACES_SAMPLER</c>/<c>_ARG</c>, a config file, ...) on top of the exporter's.
    /// </summary>
    public static async Task<TracedSidecar> StartAsync(string service, IReadOnlyDictionary<string, string>? settings = null)
    {
        var traced = new TracedSidecar(await OtlpReceiver.StartAsync());
        try
        {
            traced._app = await KestrelTestServer.StartAsync(traced.RecordAsync, IPAddress.Loopback);
            var environment = new Dictionary<string, string>
            {
                ["ACGS_SERVICE_NAME"] = service,
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = traced.Receiver.Endpoint.ToString(),
                ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            };
            foreach (var (name, value) in settings ?? new Dictionary<string, string>())
            {
                environment[name] = value;
            }

            traced.Sidecar = await SidecarProcess.StartAsync(traced._app.Port, environment);
            return traced;
        }
        catch
        {
            await traced.DisposeAsync();
            throw;
        }
    }

    /// <summary>The <c>traceparent</c> and <c>tracestate</c> (null when absent) of each request the app received, in order.</summary>
    public IReadOnlyList<(string? TraceParent, string? TraceState)> Received()
    {
        lock (_received)
        {
            return [.. _received];
        }
    }

    /// <summary>Sends GET <paramref name="path"/> to the inbound listener with the hash and the given trace headers; asserts 200.</summary>
    public async Task SendAsync(string path, string? traceParent = null, string? traceState = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Sidecar.Inbound, path));
        request.Headers.TryAddWithoutValidation(AcgsConstants.HashHeaderName, AcgsConstants.ConstitutionalHash);
        if (traceParent is not null)
        {
            request.Headers.TryAddWithoutValidation("traceparent", traceParent);
        }

        if (traceState is not null)
        {
            request.Headers.TryAddWithoutValidation("tracestate", traceState);
        }

        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>GET <c>/metrics</c> on the admin listener, with <paramref name="accept"/> when given: the content type and the text.</summary>
    public async Task<(string ContentType, string Text)> ScrapeAsync(string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Sidecar.Admin, "metrics"));
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response.Content.Headers.ContentType!.ToString(), await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (Sidecar is not null)
        {
            await Sidecar.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await Receiver.DisposeAsync();
    }

    private Task RecordAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        lock (_received)
        {
            _received.Add((headers.TraceParent.Count > 0 ? headers.TraceParent.ToString() : null, headers.TraceState.Count > 0 ? headers.TraceState.ToString() : null));
        }

        return context.Response.WriteAsync("t");
    }
}
