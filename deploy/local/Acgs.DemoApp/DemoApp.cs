// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;

namespace Acgs.DemoApp;

/// <summary>
/// The demo upstream behind the sidecar in <c>./acgs up</c>. Listens on <c>DEMO_HOST</c>:<c>DEMO_PORT</c>
/// (default 127.0.0.1:8081) as <c>DEMO_SERVICE_NAME</c> (default <c>demo</c>):
/// <c>GET /</c> JSON hello, <c>/slow?ms=N</c> (delay, at most 60 s), <c>/status/{code}</c>,
/// <c>/ws</c> WebSocket echo, <c>/healthz</c>.
/// </summary>
internal static class DemoApp
{
    /// <summary>Runs the app until Ctrl-C / SIGTERM.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var host = Environment.GetEnvironmentVariable("DEMO_HOST") ?? "127.0.0.1";
        var portText = Environment.GetEnvironmentVariable("DEMO_PORT") ?? "8081";
        var service = Environment.GetEnvironmentVariable("DEMO_SERVICE_NAME") ?? "demo";
        if (!IPAddress.TryParse(host, out var address) || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            await Console.Error.WriteLineAsync($"demo app: invalid DEMO_HOST '{host}' or DEMO_PORT '{portText}'").ConfigureAwait(false);
            return 2;
        }

        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, port));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var app = builder.Build();
        app.UseWebSockets();
        app.MapGet("/", (HttpContext context) => WriteJsonAsync(context, 200, service, "hello"));
        app.MapGet("/healthz", (HttpContext context) => WriteJsonAsync(context, 200, service, "ok"));
        app.MapGet("/slow", SlowAsync);
        app.Map("/status/{code:int}", (HttpContext context, int code) =>
            WriteJsonAsync(context, code is >= 200 and <= 599 ? code : 400, service, "status"));
        app.Map("/ws", EchoAsync);
        await app.RunAsync().ConfigureAwait(false);
        return 0;

        async Task SlowAsync(HttpContext context)
        {
            var ms = int.TryParse(context.Request.Query["ms"], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? Math.Min(value, 60_000) : 1000;
            await Task.Delay(ms, context.RequestAborted).ConfigureAwait(false);
            await WriteJsonAsync(context, 200, service, "slow " + ms.ToString(CultureInfo.InvariantCulture) + " ms").ConfigureAwait(false);
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, string service, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var headerHash = context.Request.Headers["X-Constitutional-Hash"].ToString();
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("service", service);
            writer.WriteString("message", message);
            writer.WriteString("path", context.Request.Path.Value);
            writer.WriteString("host", context.Request.Host.Value);
            writer.WriteBoolean("hash_header_present", headerHash.Length > 0);
            writer.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(stream.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task EchoAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
