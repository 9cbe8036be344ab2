// Constitutional Hash: cdd01ef066bc6cf2

using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Acgs.ControlPlane.StatusPage;

/// <summary>
/// The status page: <c>GET /</c> (HTML, script and style embedded in the binary, no CDN), <c>GET /api/v1/status</c> (the
/// page's data) and <c>GET /api/v1/status/stream</c> (server-sent events: the same document every
/// <see cref="StreamInterval"/>).
/// </summary>
internal static class StatusPageEndpoints
{
    public const string StatusRoute = "/api/v1/status";
    public const string StreamRoute = "/api/v1/status/stream";

    /// <summary>How often the stream sends the status.</summary>
    public static readonly TimeSpan StreamInterval = TimeSpan.FromSeconds(2);

    /// <summary>Only this origin's script and style; no framing; no inline code.</summary>
    private const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static IEndpointRouteBuilder MapStatusPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", static context => AssetAsync(context, "status.html", "text/html; charset=utf-8"));
        endpoints.MapGet("/status.js", static context => AssetAsync(context, "status.js", "text/javascript; charset=utf-8"));
        endpoints.MapGet("/status.css", static context => AssetAsync(context, "status.css", "text/css; charset=utf-8"));
        endpoints.MapGet(StatusRoute, static async (StatusSource source, CancellationToken cancellationToken) =>
            TypedResults.Ok(await source.GetAsync(cancellationToken).ConfigureAwait(false)));
        endpoints.MapGet(StreamRoute, StreamAsync);
        return endpoints;
    }

    private static async Task AssetAsync(HttpContext context, string name, string contentType)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-cache";
        headers["Referrer-Policy"] = "no-referrer";
        context.Response.ContentType = contentType;
        await context.Response.Body.WriteAsync(StatusAssets.Get(name), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext context, StatusSource source, IOptions<JsonOptions> json, TimeProvider time)
    {
        var cancellationToken = context.RequestAborted;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        using var timer = new PeriodicTimer(StreamInterval, time);
        try
        {
            do
            {
                var view = await source.GetAsync(cancellationToken).ConfigureAwait(false);
                var data = JsonSerializer.Serialize(view, json.Value.SerializerOptions);
                await context.Response.WriteAsync("event: status\ndata: " + data + "\n\n", Encoding.UTF8, cancellationToken).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the page was closed or the control plane is stopping
        }
    }
}
