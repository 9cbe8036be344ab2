// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Sidecar.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Tests.Forwarding;

/// <summary>Through a real sidecar to a real Kestrel upstream that answers with the request target it received.</summary>
public sealed class UpstreamUriReuseTests
{
    [Fact]
    public async Task Inbound_RepeatedAndVaryingTargets_UpstreamReceivesEachTargetExactly()
    {
        await using var upstream = await StartEchoTargetAsync();
        await using var sidecar = await SidecarTestHost.StartAsync(upstream.Port);
        string[] targets =
        [
            "/a/b?x=1", "/a/b?x=1", "/a/b?x=2", "/a/b", "/a/b", "/a%20b", "/a%2520b", "/a%2520b", "/", "/?q=%20", "/?q=%20",
            "/a/b?x=1",
        ];

        foreach (var target in targets)
        {
            using var response = await sidecar.GetInboundAsync(target);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(target, await response.Content.ReadAsStringAsync());
        }
    }

    private static async Task<EchoTarget> StartEchoTargetAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync(context.Features.Get<IHttpRequestFeature>()!.RawTarget));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EchoTarget(app, new Uri(address).Port);
    }

    private sealed class EchoTarget(WebApplication app, int port) : IAsyncDisposable
    {
        public int Port { get; } = port;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
