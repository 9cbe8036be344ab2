// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Core;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Tests.Forwarding;

/// <summary>
/// <c>X-Forwarded-*</c> on the way to the app, through a real sidecar and a real Kestrel app: by default YARP's replace
/// the caller's (a caller cannot choose the app's X-Forwarded-For); with <c>ACGS_X_FORWARDED=false</c> the caller's go on
/// as they came and the sidecar adds none.
/// </summary>
public sealed class ForwardedHeadersTests
{
    [Fact]
    public async Task Forward_XForwardedOff_CallersXForwardedKeptNoneAdded()
    {
        var (plain, forwarded) = await ForwardAsync(xForwarded: false);

        Assert.Equal(string.Empty, plain["X-Forwarded-For"]);
        Assert.Equal(string.Empty, plain["X-Forwarded-Proto"]);
        Assert.Equal(string.Empty, plain["X-Forwarded-Host"]);
        Assert.Equal("unauthenticated", plain["x-acgs-peer-identity"]);
        Assert.Equal("203.0.113.7", forwarded["X-Forwarded-For"]); // as a gateway in front set them
        Assert.Equal("https", forwarded["X-Forwarded-Proto"]);
        Assert.Equal("shop.example.com", forwarded["X-Forwarded-Host"]);
    }

    [Fact]
    public async Task Forward_Default_SidecarReplacesCallersXForwarded()
    {
        var (plain, forwarded) = await ForwardAsync(xForwarded: true);

        Assert.Equal("127.0.0.1", plain["X-Forwarded-For"]);
        Assert.Equal("http", plain["X-Forwarded-Proto"]);
        Assert.Equal("127.0.0.1", forwarded["X-Forwarded-For"]); // YARP's default action: set, the caller's replaced
        Assert.Equal("http", forwarded["X-Forwarded-Proto"]);
    }

    [Fact]
    public void Load_XForwardedSetting_ReadFromTheEnvironmentDefaultOn()
    {
        var on = BootstrapLoader.Load([], new Dictionary<string, string?>());
        var off = BootstrapLoader.Load([], new Dictionary<string, string?> { ["ACGS_X_FORWARDED"] = "false" });
        var bad = BootstrapLoader.Load([], new Dictionary<string, string?> { ["ACGS_X_FORWARDED"] = "sometimes" });

        Assert.False(off.Bootstrap!.Options.XForwarded);
        Assert.True(on.Bootstrap!.Options.XForwarded);
        Assert.Equal("ACGS_X_FORWARDED: must be 1, 0, true, false, yes, no, on or off (got 'sometimes')", Assert.Single(bad.Errors));
    }

    // Two requests through the inbound listener: one without X-Forwarded-*, one with a gateway's; returns what the app saw.
    private static async Task<(Dictionary<string, string> Plain, Dictionary<string, string> Forwarded)> ForwardAsync(bool xForwarded)
    {
        var seen = new List<Dictionary<string, string>>();
        await using var app = await KestrelTestServer.StartAsync(
            context =>
            {
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var name in (string[])["X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "x-acgs-peer-identity"])
                {
                    headers[name] = context.Request.Headers[name].ToString();
                }

                lock (seen)
                {
                    seen.Add(headers);
                }

                return Task.CompletedTask;
            },
            IPAddress.Loopback);
        var options = SidecarTestHost.Options(app.Port) with { XForwarded = xForwarded };
        var bootstrap = new SidecarBootstrap(options, SidecarTestHost.Snapshot(), ConfigSources.Bootstrap, HashOverrides.None);
        await using var sidecar = await SidecarTestHost.StartAsync(bootstrap);

        using var plain = await sidecar.GetInboundAsync("/orders");
        using var request = SidecarTestHost.Request(HttpMethod.Get, sidecar.Inbound, "/orders");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "shop.example.com");
        using var forwarded = await sidecar.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, forwarded.StatusCode);
        Assert.Equal(2, seen.Count);
        return (seen[0], seen[1]);
    }
}
