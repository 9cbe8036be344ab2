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
