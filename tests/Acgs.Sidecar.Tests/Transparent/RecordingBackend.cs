// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Tests.Transparent;

/// <summary>
/// A real Kestrel backend on one address, port 0: answers <c>backend:&lt;path&gt;</c> and echoes what it
/// saw (hash header, Host, the peer's address) in <c>X-Seen-*</c> response headers; counts requests.
/// </summary>
internal sealed class RecordingBackend : IAsyncDisposable
{
    public const string Marker = "backend:";

    private readonly WebApplication _app;
    private int _requests;

    private RecordingBackend(WebApplication app) => _app = app;

    public int Port { get; private set; }

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<RecordingBackend> StartAsync(IPAddress address)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(address, 0));
        var app = builder.Build();
        var backend = new RecordingBackend(app);
        app.Run(backend.HandleAsync);
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        backend.Port = new Uri(bound).Port;
        return backend;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var headers = context.Response.Headers;
        headers["X-Seen-Hash"] = context.Request.Headers[AcgsConstants.HashHeaderName].ToString();
        headers["X-Seen-Host"] = context.Request.Host.Value;
        headers["X-Seen-Remote"] = context.Connection.RemoteIpAddress?.ToString();
        return context.Response.WriteAsync(Marker + context.Request.Path);
    }
}
