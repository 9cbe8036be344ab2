// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acgs.Testing;

/// <summary>
/// A real Kestrel server for tests: one HTTP/1.1+2 listener on an address (127.0.0.1 by default) and a
/// port (0: the OS picks a free one), no logging, the endpoints or handler the test gives. The one
/// test server of the test projects: upstreams, fake control planes and report sinks are built on it.
/// </summary>
public sealed class KestrelTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelTestServer(WebApplication app, IPAddress address, int port)
    {
        _app = app;
        Port = port;
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        BaseUri = new Uri($"http://{host}:{port}/");
    }

    /// <summary>The bound port.</summary>
    public int Port { get; }

    /// <summary>The base address, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>The server's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server answering every request with <paramref name="handler"/>.</summary>
    public static Task<KestrelTestServer> StartAsync(RequestDelegate handler, IPAddress? address = null, int port = 0)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return StartAsync(app => app.Run(handler), address, port);
    }

    /// <summary>
    /// Starts a server whose pipeline and endpoints <paramref name="configure"/> sets up;
    /// <paramref name="services"/>, when given, registers services first.
    /// </summary>
    public static async Task<KestrelTestServer> StartAsync(
        Action<WebApplication> configure, IPAddress? address = null, int port = 0, Action<WebApplicationBuilder>? services = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        address ??= IPAddress.Loopback;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(address, port));
        services?.Invoke(builder);
        var app = builder.Build();
        try
        {
            configure(app);
            await app.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KestrelTestServer(app, address, new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)).Port);
    }

    /// <summary>Stops (open requests are cancelled) and releases the port.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
