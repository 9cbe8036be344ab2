// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Acgs.Core;

namespace Acgs.DemoApp;

/// <summary>
/// The demo upstream behind each sidecar in <c>./acgs up</c>; one binary plays any seed service. Listens on
/// <c>DEMO_HOST</c>:<c>DEMO_PORT</c> (default 127.0.0.1:8081; or <c>--port N</c>) as <c>DEMO_SERVICE_NAME</c>
/// (default <c>demo</c>; or <c>--service NAME</c>):
/// <c>GET /</c> JSON hello, <c>/slow?ms=N</c> (delay, at most 60 s), <c>/status/{code}</c>,
/// <c>/ws</c> WebSocket echo, <c>/healthz</c>;
/// <c>GET /call/{service}[/path]</c> calls another service through this app's sidecar outbound listener
/// (<c>DEMO_OUTBOUND_URL</c>, Host = the service, with the constitutional hash header);
/// with <c>DEMO_BUS_ENDPOINT</c> (<c>ip:port</c> of the sidecar's bus) it registers the agent <c>DEMO_AGENT_ID</c>
/// (default <c>&lt;service&gt;-agent</c>) with <c>Acgs.Bus.Client</c>: <c>GET /agent</c> shows it,
/// <c>POST /agent/send/{agent}</c> sends it a message.
/// </summary>
internal static class DemoApp
{
    /// <summary>Runs the app until Ctrl-C / SIGTERM.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var host = Environment.GetEnvironmentVariable("DEMO_HOST") ?? "127.0.0.1";
        var portText = Argument(args, "--port") ?? Environment.GetEnvironmentVariable("DEMO_PORT") ?? "8081";
        var service = Argument(args, "--service") ?? Environment.GetEnvironmentVariable("DEMO_SERVICE_NAME") ?? "demo";
        var busText = Environment.GetEnvironmentVariable("DEMO_BUS_ENDPOINT");
        var outboundText = Environment.GetEnvironmentVariable("DEMO_OUTBOUND_URL");
        var hash = (Environment.GetEnvironmentVariable("CONSTITUTIONAL_HASH") ?? AcgsConstants.ConstitutionalHash).Split(',')[0].Trim();
        var errors = new List<string>();
        if (!IPAddress.TryParse(host, out var address))
        {
            errors.Add($"DEMO_HOST must be an IP address, got '{host}'");
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            errors.Add($"DEMO_PORT / --port must be 1..65535, got '{portText}'");
        }

        IPEndPoint? bus = null;
        if (busText is not null && (!IPEndPoint.TryParse(busText, out bus) || bus.Port == 0))
        {
            errors.Add($"DEMO_BUS_ENDPOINT must be ip:port, got '{busText}'");
        }

        Uri? outbound = null;
        if (outboundText is not null && !Uri.TryCreate(outboundText, UriKind.Absolute, out outbound))
        {
            errors.Add($"DEMO_OUTBOUND_URL must be an absolute URL, got '{outboundText}'");
        }

        if (errors.Count > 0)
        {
            await Console.Error.WriteLineAsync("demo app: " + string.Join("; ", errors)).ConfigureAwait(false);
            return 2;
        }

        var agent = bus is null ? null : new DemoAgent(bus, Environment.GetEnvironmentVariable("DEMO_AGENT_ID") ?? service + "-agent", Environment.GetEnvironmentVariable("DEMO_TENANT_ID") ?? "local");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.ConfigureKestrel(k => k.Listen(address!, port));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var app = builder.Build();
        app.UseWebSockets();
        app.MapGet("/", (HttpContext context) => WriteJsonAsync(context, 200, service, "hello"));
        app.MapGet("/healthz", (HttpContext context) => WriteJsonAsync(context, 200, service, "ok"));
        app.MapGet("/slow", SlowAsync);
        app.Map("/status/{code:int}", (HttpContext context, int code) =>
            WriteJsonAsync(context, code is >= 200 and <= 599 ? code : 400, service, "status"));
        app.Map("/ws", EchoAsync);
        app.MapGet("/call/{target}/{**path}", CallAsync);
        app.MapGet("/agent", () => agent is null
            ? Results.NotFound(new { service, error = "no bus agent (DEMO_BUS_ENDPOINT unset)" })
            : Results.Ok(new { service, agent_id = agent.AgentId, bus = agent.Bus.ToString(), registered = agent.Registered, received = agent.Received, last_error = agent.LastError }));
        app.MapPost("/agent/send/{to}", SendAsync);
        var agentRun = agent?.RunAsync(app.Lifetime.ApplicationStopping) ?? Task.CompletedTask;
        await app.RunAsync().ConfigureAwait(false);
        await agentRun.ConfigureAwait(false);
        return 0;

        async Task<IResult> CallAsync(string target, string? path, HttpContext context)
        {
            if (outbound is null)
            {
                return Results.NotFound(new { service, error = "DEMO_OUTBOUND_URL is unset" });
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(outbound, "/" + path));
            request.Headers.Host = target;
            request.Headers.TryAddWithoutValidation("X-Constitutional-Hash", hash);
            using var response = await http.SendAsync(request, context.RequestAborted).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(context.RequestAborted).ConfigureAwait(false);
            return Results.Json(new { service, called = target, via = outbound.ToString(), status = (int)response.StatusCode, body }, statusCode: response.IsSuccessStatusCode ? 200 : 502);
        }

        async Task<IResult> SendAsync(string to, HttpContext context)
        {
            if (agent is null)
            {
                return Results.NotFound(new { service, error = "no bus agent (DEMO_BUS_ENDPOINT unset)" });
            }

            try
            {
                var result = await agent.SendAsync(to, "hello from "u8.ToArray().Concat(System.Text.Encoding.UTF8.GetBytes(service)).ToArray(), context.RequestAborted).ConfigureAwait(false);
                return Results.Json(new { from = agent.AgentId, to, delivered = result.IsSuccess, code = result.Code.ToString(), stored = result.Stored }, statusCode: result.IsSuccess ? 200 : 502);
            }
            catch (InvalidOperationException ex)
            {
                return Results.Json(new { from = agent.AgentId, to, error = ex.Message }, statusCode: 503);
            }
        }

        async Task SlowAsync(HttpContext context)
        {
            var ms = int.TryParse(context.Request.Query["ms"], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? Math.Min(value, 60_000) : 1000;
            await Task.Delay(ms, context.RequestAborted).ConfigureAwait(false);
            await WriteJsonAsync(context, 200, service, "slow " + ms.ToString(CultureInfo.InvariantCulture) + " ms").ConfigureAwait(false);
        }
    }

    private static string? Argument(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
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
            writer.WriteString("peer_identity", context.Request.Headers["x-acgs-peer-identity"].ToString()); // set by the sidecar: the caller's SPIFFE ID over mTLS
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
