// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Acgs.Contracts.Authorization;
using Acgs.Contracts.Config;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Tests.ControlPlaneClient;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Sidecar.Tests.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.Sidecar.Tests.Authorization;

/// <summary>
/// A real mesh for authorization tests: a control plane process (the CA), the <c>orders</c> sidecar (identity on,
/// permissive) in front of an app, a <c>frontend</c> sidecar calling it over mTLS, and workload certificates of
/// <c>billing</c> and <c>audit</c> for direct mTLS calls; plaintext calls go straight to the inbound listener.
/// </summary>
internal sealed class AuthorizationMesh : IAsyncDisposable
{
    public const string OrdersId = "spiffe://acgs.local/svc/orders";
    private readonly string _directory;
    private int _version;

    private AuthorizationMesh(string directory, ControlPlaneProcess plane, TestUpstream app, TestUpstream frontendApp, SidecarTestHost orders, SidecarTestHost frontend,
        X509Certificate2 billing, X509Certificate2 audit, X509Certificate2Collection anchors)
    {
        _directory = directory;
        Plane = plane;
        App = app;
        FrontendApp = frontendApp;
        Orders = orders;
        Frontend = frontend;
        Billing = WorkloadCertificates.Client(billing, anchors, OrdersId);
        Audit = WorkloadCertificates.Client(audit, anchors, OrdersId);
    }

    public ControlPlaneProcess Plane { get; }

    public TestUpstream App { get; }

    public TestUpstream FrontendApp { get; }

    public SidecarTestHost Orders { get; }

    public SidecarTestHost Frontend { get; }

    public HttpClient Billing { get; }

    public HttpClient Audit { get; }

    public static async Task<AuthorizationMesh> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "acgs-authz", Guid.NewGuid().ToString("N"));
        var plane = await ControlPlaneProcess.StartAsync(Path.Combine(directory, "cp"));
        var app = await TestUpstream.StartAsync("orders-app");
        var frontendApp = await TestUpstream.StartAsync("frontend-app");
        using var admin = plane.AdminClient();
        var orders = await IdentityTestMesh.StartAsync(app.Port, "orders", IdentityTestMesh.Settings(plane.Address, "orders", await IdentityTestMesh.MintAsync(admin, "orders")));
        Assert.Equal(HttpStatusCode.OK, await orders.WaitForAdminStatusAsync("/health/ready", HttpStatusCode.OK));
        var frontend = await IdentityTestMesh.StartAsync(frontendApp.Port, "frontend",
            IdentityTestMesh.Settings(plane.Address, "frontend", await IdentityTestMesh.MintAsync(admin, "frontend")),
            snapshot: s => s with
            {
                Clusters = ImmutableDictionary<string, ClusterConfig>.Empty.Add("orders",
                    new ClusterConfig { Destinations = [$"127.0.0.1:{orders.Host.InboundPort}"], Identity = OrdersId }),
                Routes = [new OutboundRoute { Host = "orders", Cluster = "orders" }],
            });
        Assert.Equal(HttpStatusCode.OK, await frontend.WaitForAdminStatusAsync("/health/ready", HttpStatusCode.OK));
        var (billing, anchors) = await WorkloadCertificates.IssueAsync(admin, plane.Address, "billing");
        var (audit, _) = await WorkloadCertificates.IssueAsync(admin, plane.Address, "audit");
        return new AuthorizationMesh(directory, plane, app, frontendApp, orders, frontend, billing, audit, anchors);
    }

    /// <summary>Applies <paramref name="authorization"/> to the orders sidecar (a new snapshot version, the apply path of every snapshot).</summary>
    public async Task ApplyAsync(AuthorizationConfig? authorization)
    {
        var applier = Orders.Host.Services.GetRequiredService<ConfigApplier>();
        var snapshot = applier.Current.Snapshot with { Version = "authz-" + Interlocked.Increment(ref _version), Authorization = authorization };
        var result = await applier.ApplyAsync(snapshot, ConfigSources.ControlPlane);
        Assert.True(result.Accepted, string.Join("; ", result.Errors));
    }

    /// <summary>A request of <paramref name="caller"/> (frontend, billing, audit or plaintext) to orders.</summary>
    public Task<HttpResponseMessage> CallAsync(string caller, string path, HttpMethod? method = null)
    {
        method ??= HttpMethod.Get;
        switch (caller)
        {
            case "frontend":
                var viaSidecar = SidecarTestHost.Request(method, Frontend.Outbound, path);
                viaSidecar.Headers.Host = "orders";
                return Frontend.Client.SendAsync(viaSidecar);
            case "billing":
                return Billing.SendAsync(SidecarTestHost.Request(method, Https, path));
            case "audit":
                return Audit.SendAsync(SidecarTestHost.Request(method, Https, path));
            default:
                return Orders.Client.SendAsync(SidecarTestHost.Request(method, Orders.Inbound, path));
        }
    }

    private Uri Https => new($"https://127.0.0.1:{Orders.Host.InboundPort}/");

    public async ValueTask DisposeAsync()
    {
        Billing.Dispose();
        Audit.Dispose();
        await Frontend.DisposeAsync();
        await Orders.DisposeAsync();
        await FrontendApp.DisposeAsync();
        await App.DisposeAsync();
        await Plane.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
