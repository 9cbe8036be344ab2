// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>A Kestrel listener (127.0.0.1, free port) that records every request and answers <see cref="Status"/> with <see cref="Body"/>, or hangs.</summary>
public sealed class RecordingControlPlane : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordingControlPlane(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Every request: method, path with query, Authorization header, body text and the connection it came on.</summary>
    public ConcurrentQueue<(string Method, string Path, string Authorization, string Body, string Connection)> Requests { get; } = new();

    public int Status { get; set; } = StatusCodes.Status204NoContent;

    /// <summary>JSON answered with <see cref="Status"/>, or null for no body.</summary>
    public string? Body { get; set; }

    /// <summary>When set, each request is recorded, signals <see cref="Arrived"/> and is never answered (until the client gives up).</summary>
    public bool Hang { get; set; }

    public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<RecordingControlPlane> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        RecordingControlPlane? self = null;
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            self!.Requests.Enqueue((context.Request.Method, context.Request.Path + context.Request.QueryString, context.Request.Headers.Authorization.ToString(), body, context.Connection.Id));
            self.Arrived.TrySetResult();
            if (self.Hang)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(static _ => { }, TaskScheduler.Default);
                return;
            }

            context.Response.StatusCode = self.Status;
            if (self.Body is { } answer)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(answer, context.RequestAborted);
            }
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        self = new RecordingControlPlane(app, address);
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
