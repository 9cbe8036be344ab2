// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Contracts.Config;
using Acgs.Core;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Telemetry;
using Acgs.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Tests.Fixtures;

/// <summary>Starts a real sidecar in-process on 127.0.0.1 port 0 listeners, with an HTTP client.</summary>
internal sealed class SidecarTestHost : IAsyncDisposable
{
    private SidecarTestHost(SidecarHost host)
    {
        Host = host;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>The admin token of sidecars started with <see cref="StartAsync(int, Func{ConfigSnapshot, ConfigSnapshot}?, string)"/>.</summary>
    public const string AdminTokenValue = "test-admin-token-0123456789";

    public SidecarHost Host { get; }

    public HttpClient Client { get; }

    /// <summary>This sidecar's metrics (its own registry: exact values can be asserted).</summary>
    public SidecarMetrics Metrics => Host.Services.GetRequiredService<SidecarMetrics>();

    public Uri Inbound => new($"http://127.0.0.1:{Host.InboundPort}/");

    public Uri Outbound => new($"http://127.0.0.1:{Host.OutboundPort}/");

    public Uri Admin => new($"http://127.0.0.1:{Host.AdminPort}/");

    public static SidecarOptions Options(int appPort, string service = "svc-test") => new()
    {
        ServiceName = service,
        NodeId = "test-node",
        AppPort = appPort,
        InboundAddress = "127.0.0.1",
        InboundPort = 0,
        OutboundPort = 0,
        AdminPort = 0,
        AppProbeInterval = TimeSpan.FromMilliseconds(100),
        ConfigPollInterval = TimeSpan.FromMinutes(10),
        DrainTimeout = TimeSpan.FromSeconds(10),
    };

    public static ConfigSnapshot Snapshot(string service = "svc-test", string version = "v1") => new()
    {
        Version = version,
        ServiceName = service,
    };

    public static Task<SidecarTestHost> StartAsync(int appPort, Func<ConfigSnapshot, ConfigSnapshot>? snapshot = null, string service = "svc-test")
    {
        var options = Options(appPort, service);
        var first = Snapshot(service);
        return StartAsync(new SidecarBootstrap(options, snapshot is null ? first : snapshot(first), ConfigSources.Bootstrap, HashOverrides.None) { AdminToken = Acgs.Sidecar.Admin.AdminToken.Of(AdminTokenValue) });
    }

    public static async Task<SidecarTestHost> StartAsync(SidecarBootstrap bootstrap)
    {
        var host = await SidecarHost.CreateAsync(bootstrap, b => b.Logging.SetMinimumLevel(LogLevel.Warning));
        Assert.True(host.InitialApply.Accepted, string.Join("; ", host.InitialApply.Errors));
        await host.StartAsync();
        return new SidecarTestHost(host);
    }

    /// <summary>POST to the admin port with the admin token.</summary>
    public Task<HttpResponseMessage> AdminPostAsync(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Admin, path));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminTokenValue);
        return Client.SendAsync(request);
    }

    /// <summary>Wraps a sidecar the caller composed and started itself.</summary>
    public static SidecarTestHost Wrap(SidecarHost host) => new(host);

    public static HttpRequestMessage Request(HttpMethod method, Uri baseUri, string path, string? hash = AcgsConstants.ConstitutionalHash)
    {
        var request = new HttpRequestMessage(method, new Uri(baseUri, path));
        if (hash is not null)
        {
            request.Headers.TryAddWithoutValidation(AcgsConstants.HashHeaderName, hash);
        }

        return request;
    }

    public Task<HttpResponseMessage> GetInboundAsync(string path, string? hash = AcgsConstants.ConstitutionalHash) =>
        Client.SendAsync(Request(HttpMethod.Get, Inbound, path, hash));

    public async Task<string> AdminGetStringAsync(string path) => await Client.GetStringAsync(new Uri(Admin, path));

    /// <summary>Polls <paramref name="path"/> on the admin port until it answers <paramref name="status"/>; returns the last status.</summary>
    public Task<HttpStatusCode> WaitForAdminStatusAsync(string path, HttpStatusCode status) =>
        Eventually.ValueAsync(
            async () =>
            {
                using var response = await Client.GetAsync(new Uri(Admin, path));
                return response.StatusCode;
            },
            last => last == status);

    /// <summary>A loopback port nothing listens on (bound and released).</summary>
    public static int FreePort() => Acgs.Testing.FreePort.Get();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            await Host.StopAsync();
        }
        catch (OperationCanceledException)
        {
        }

        await Host.DisposeAsync();
    }
}
