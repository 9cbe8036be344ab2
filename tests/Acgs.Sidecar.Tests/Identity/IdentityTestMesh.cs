// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Identity;
using Acgs.Sidecar.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Tests.Identity;

/// <summary>Helpers: join tokens from a real control plane, sidecars started with identity settings.</summary>
internal static class IdentityTestMesh
{
    public static async Task<string> MintAsync(HttpClient admin, string service, int maxUses = 1)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/identity/join-tokens", new JsonObject { ["service"] = service, ["max_uses"] = maxUses });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return (string)JsonNode.Parse(text)!["token"]!;
    }

    public static IdentitySettings Settings(Uri controlPlane, string service, string joinToken) => new()
    {
        Enabled = true,
        ControlPlaneUrl = controlPlane,
        ServiceName = service,
        JoinToken = joinToken,
        BackoffMin = TimeSpan.FromMilliseconds(50),
        BackoffMax = TimeSpan.FromMilliseconds(200),
    };

    /// <summary>Starts a sidecar for <paramref name="service"/> with <paramref name="settings"/> (and <paramref name="time"/>,
    /// <paramref name="options"/> changing its sidecar options, <paramref name="accessLog"/> its access log, when given).</summary>
    public static async Task<SidecarTestHost> StartAsync(int appPort, string service, IdentitySettings settings, TimeProvider? time = null,
        Func<Acgs.Contracts.Config.ConfigSnapshot, Acgs.Contracts.Config.ConfigSnapshot>? snapshot = null, Func<SidecarOptions, SidecarOptions>? options = null,
        Acgs.Sidecar.Hosting.ListenerLimits? limits = null, Acgs.Sidecar.AccessLog.AccessLogOptions? accessLog = null)
    {
        var first = SidecarTestHost.Snapshot(service);
        var sidecarOptions = SidecarTestHost.Options(appPort, service);
        var bootstrap = new SidecarBootstrap(options is null ? sidecarOptions : options(sidecarOptions), snapshot is null ? first : snapshot(first), ConfigSources.Bootstrap, HashOverrides.None);
        if (limits is not null)
        {
            bootstrap = bootstrap with { Limits = limits };
        }

        if (accessLog is not null)
        {
            bootstrap = bootstrap with { AccessLog = accessLog };
        }

        var host = await Acgs.Sidecar.Hosting.SidecarHost.CreateAsync(bootstrap, b =>
        {
            b.Logging.SetMinimumLevel(LogLevel.Warning);
            b.Services.AddSingleton(settings);
            if (time is not null)
            {
                b.Services.AddSingleton(time);
            }
        });
        Assert.True(host.InitialApply.Accepted, string.Join("; ", host.InitialApply.Errors));
        await host.StartAsync();
        return SidecarTestHost.Wrap(host);
    }

    /// <summary>Polls <c>/identity</c> until <paramref name="condition"/> holds on its JSON.</summary>
    public static async Task<JsonObject> WaitForIdentityAsync(SidecarTestHost sidecar, Func<JsonObject, bool> condition)
    {
        var last = await Acgs.Testing.Eventually.ValueAsync(
            async () =>
            {
                using var response = await sidecar.Client.GetAsync(new Uri(sidecar.Admin, "/identity"));
                return (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            },
            condition);
        Assert.True(condition(last), "identity condition not reached: " + last.ToJsonString());
        return last;
    }
}
