// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Acgs.Contracts.Config;
using Acgs.Sidecar.Tests.ControlPlaneClient;
using Acgs.Sidecar.Tests.Fixtures;

namespace Acgs.Sidecar.Tests.Identity;

/// <summary>
/// A trust-anchor rotation end to end with real sidecars: the server holds a certificate of the old root (its control
/// plane issues from root A and carries root B in the bundle), the callers hold certificates of the new root B (issued
/// after the switch). While the bundle holds both anchors, the mTLS hop works both ways; a caller whose bundle already
/// dropped the old root refuses the server at the handshake.
/// </summary>
public sealed class TrustAnchorRotationTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acgs-anchors", Guid.NewGuid().ToString("N"));
    private readonly string[] _roots = new string[2];
    private ControlPlaneProcess _old = null!;
    private ControlPlaneProcess _new = null!;
    private TestUpstream _ordersApp = null!;
    private TestUpstream _callerApp = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var a = await WriteRootAsync("root-a");
        var b = await WriteRootAsync("root-b");
        (_roots[0], _roots[1]) = (a.Pem, b.Pem);
        var extraAnchor = Path.Combine(_directory, "anchor-b.pem");
        await File.WriteAllTextAsync(extraAnchor, b.Pem);
        // Step 1 of the rotation: root B added to the bundle, root A still issues.
        _old = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp-old"), new Dictionary<string, string>
        {
            ["ACGS_CA_CERT"] = a.CertPath, ["ACGS_CA_KEY"] = a.KeyPath, ["ACGS_TRUST_ANCHORS"] = extraAnchor,
        });
        // Step 2: root B issues.
        _new = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp-new"), new Dictionary<string, string>
        {
            ["ACGS_CA_CERT"] = b.CertPath, ["ACGS_CA_KEY"] = b.KeyPath,
        });
        _ordersApp = await TestUpstream.StartAsync("orders-app");
        _callerApp = await TestUpstream.StartAsync("caller-app");
    }

    public async Task DisposeAsync()
    {
        await _callerApp.DisposeAsync();
        await _ordersApp.DisposeAsync();
        await _new.DisposeAsync();
        await _old.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Rotation_OldRootServerNewRootCaller_BothAnchorsAccepted_OldRootDroppedRefused()
    {
        using var oldAdmin = _old.AdminClient();
        using var newAdmin = _new.AdminClient();
        await using var server = await IdentityTestMesh.StartAsync(_ordersApp.Port, "orders",
            IdentityTestMesh.Settings(_old.Address, "orders", await IdentityTestMesh.MintAsync(oldAdmin, "orders")),
            snapshot: s => s with { MutualTls = new MutualTlsConfig { Mode = MutualTlsMode.Strict } });
        Assert.Equal(HttpStatusCode.OK, await server.WaitForAdminStatusAsync("/health/ready", HttpStatusCode.OK));
        await using var during = await CallerAsync(server, "payments", newAdmin, [_roots[0], _roots[1]]);
        await using var after = await CallerAsync(server, "billing", newAdmin, [_roots[1]]);

        using var accepted = await CallOrdersAsync(during);
        var before = _ordersApp.Requests;
        using var refused = await CallOrdersAsync(after);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("spiffe://acgs.local/svc/payments", _ordersApp.LastPeerIdentity);
        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        Assert.Equal(before, _ordersApp.Requests);
        Assert.Matches("acgs_mtls_rejections_total\\{reason=\"untrusted\"\\} [1-9]", await after.AdminGetStringAsync("/metrics"));
    }

    // A caller with a certificate of the new root and the snapshot's trust bundle set to anchors.
    private async Task<SidecarTestHost> CallerAsync(SidecarTestHost server, string service, HttpClient admin, ImmutableArray<string> anchors)
    {
        var caller = await IdentityTestMesh.StartAsync(_callerApp.Port, service,
            IdentityTestMesh.Settings(_new.Address, service, await IdentityTestMesh.MintAsync(admin, service)),
            snapshot: s => s with
            {
                MutualTls = new MutualTlsConfig { Mode = MutualTlsMode.Permissive, TrustBundle = anchors },
                Clusters = ImmutableDictionary<string, ClusterConfig>.Empty.Add("orders",
                    new ClusterConfig { Destinations = [$"127.0.0.1:{server.Host.InboundPort}"], Identity = "spiffe://acgs.local/svc/orders" }),
                Routes = [new OutboundRoute { Host = "orders", Cluster = "orders" }],
            });
        Assert.Equal(HttpStatusCode.OK, await caller.WaitForAdminStatusAsync("/health/ready", HttpStatusCode.OK));
        return caller;
    }

    private static Task<HttpResponseMessage> CallOrdersAsync(SidecarTestHost client)
    {
        var request = SidecarTestHost.Request(HttpMethod.Get, client.Outbound, "/api");
        request.Headers.Host = "orders";
        return client.Client.SendAsync(request);
    }

    private async Task<(string CertPath, string KeyPath, string Pem)> WriteRootAsync(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        string cert = Path.Combine(_directory, name + ".pem"), keyPath = Path.Combine(_directory, name + ".key");
        var pem = root.ExportCertificatePem();
        await File.WriteAllTextAsync(cert, pem);
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (cert, keyPath, pem);
    }
}
