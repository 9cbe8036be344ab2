// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Http.Headers;
using Acgs.ControlPlane.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.ControlPlane.Tests;

/// <summary>A real control plane on Kestrel, 127.0.0.1, a free port.</summary>
public sealed class ControlPlaneHost : IAsyncDisposable
{
    public const string AdminToken = "test-admin-token-0123456789";

    private ControlPlaneHost(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    /// <summary>A client without credentials.</summary>
    public HttpClient Client { get; }

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "acgs-cp-tests", Guid.NewGuid().ToString("N"));

    /// <summary>
    /// Starts a control plane; <paramref name="settings"/> are config keys (environment-variable names). Reads are open
    /// (<c>ACGS_API_READS=open</c>) unless the settings say otherwise.
    /// </summary>
    public static async Task<ControlPlaneHost> StartAsync(IDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>(settings)
        {
            ["ACGS_CONTROL_PLANE_PORT"] = "0",
            ["ACGS_CONTROL_PLANE_BIND"] = "127.0.0.1",
        };
        if (!all.ContainsKey("REDIS_URL"))
        {
            all["REDIS_URL"] = string.Empty;
        }

        // Most tests read with the credential-less Client; the scope tests (Api/ApiScopeTests) set ACGS_API_READS=token.
        all.TryAdd("ACGS_API_READS", "open");

        var app = ControlPlaneApplication.Build([], configuration => configuration.AddInMemoryCollection(all));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ControlPlaneHost(app, new Uri(address));
    }

    public static Task<ControlPlaneHost> StartEmbeddedAsync(string dataDirectory, string? adminToken = AdminToken, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { ["ACGS_DATA_DIR"] = dataDirectory, ["ACGS_ADMIN_TOKEN"] = adminToken ?? string.Empty };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return StartAsync(settings);
    }

    /// <summary>A client carrying the admin token.</summary>
    public HttpClient AdminClient()
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
