// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

// The load-test backend: 127.0.0.1:<port> (--port N or PERF_BACKEND_PORT), every request → 200 with
// a fixed 13-byte body written from a preallocated buffer. No logging, no routing, workstation GC.
var port = int.Parse(
    args.Length >= 2 && args[0] == "--port" ? args[1] : Environment.GetEnvironmentVariable("PERF_BACKEND_PORT") ?? "5080",
    CultureInfo.InvariantCulture);
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
// Listen backlog 4096 like nginx's in perf/config and the sidecar's default (Kestrel's own is 512): proxies
// open hundreds of upstream connections at once after a stall, and a full accept queue drops SYNs (1 s retry).
builder.WebHost.UseSockets(static o => o.Backlog = 4096);
builder.WebHost.UseKestrel(o =>
{
    o.AddServerHeader = false;
    o.Listen(IPAddress.Loopback, port);
});
var app = builder.Build();
var body = "hello, world\n"u8.ToArray();
app.Run(Handle);
await app.RunAsync().ConfigureAwait(false);

Task Handle(HttpContext context)
{
    var response = context.Response;
    response.StatusCode = 200;
    response.ContentType = "text/plain";
    response.ContentLength = body.Length;
    var write = response.BodyWriter.WriteAsync(body);
    return write.IsCompletedSuccessfully ? Task.CompletedTask : write.AsTask();
}
