// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Contracts.Config;
using Acgs.Sidecar.Tests.ControlPlaneClient;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Identity;

/// <summary>Real TLS into a real sidecar's inbound listener: mTLS beside plaintext, the peer header, permissive vs strict.</summary>
public sealed class InboundMtlsTests : IAsyncLifetime
{
    private const string Orders = "spiffe://acgs.local/svc/orders";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acgs-mtls", Guid.NewGuid().ToString("N"));
    private ControlPlaneProcess _plane = null!;
    private TestUpstream _app = null!;

    public async Task InitializeAsync()
    {
        _plane = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp"));
        _app = await TestUpstream.StartAsync("orders-app");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _plane.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<SidecarTestHost> StartOrdersAsync(MutualTlsMode mode)
    {
        using var admin = _plane.AdminClient();
        var token = await IdentityTestMesh.MintAsync(admin, "orders");
        var sidecar = await IdentityTestMesh.StartAsync(_app.Port, "orders", IdentityTestMesh.Settings(_plane.Address, "orders", token),
            snapshot: s => s with { MutualTls = new MutualTlsConfig { Mode = mode } });
        Assert.Equal(HttpStatusCode.OK, await sidecar.WaitForAdminStatusAsync("/health/ready", HttpStatusCode.OK));
        return sidecar;
    }

    private static Uri Https(SidecarTestHost sidecar, string path) => new($"https://127.0.0.1:{sidecar.Host.InboundPort}{path}");

    [Fact]
    public async Task Permissive_MtlsPeer_AppGetsVerifiedIdentity_PlaintextGetsUnauthenticated()
    {
        await using var sidecar = await StartOrdersAsync(MutualTlsMode.Permissive);
        using var admin = _plane.AdminClient();
        var (certificate, anchors) = await WorkloadCertificates.IssueAsync(admin, _plane.Address, "payments");
        using var client = WorkloadCertificates.Client(certificate, anchors, Orders);

        using var tls = await client.SendAsync(SidecarTestHost.Request(HttpMethod.Get, Https(sidecar, "/"), "/tls"));
        Assert.Equal(HttpStatusCode.OK, tls.StatusCode);
        Assert.Equal("spiffe://acgs.local/svc/payments", _app.LastPeerIdentity);

        var forged = SidecarTestHost.Request(HttpMethod.Get, sidecar.Inbound, "/plain");
        forged.Headers.TryAddWithoutValidation("x-acgs-peer-identity", "spiffe://acgs.local/svc/admin");
        using var plain = await sidecar.Client.SendAsync(forged);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("unauthenticated", _app.LastPeerIdentity);

        // Requests are counted when their response completes (a completion callback), which may be just after the
        // client has read the response; the two came on two connections, so wait until both were counted.
        const string Mtls = "acgs_inbound_caller_requests_total{caller=\"spiffe://acgs.local/svc/payments\",code_class=\"2xx\"} 1\n";
        const string Plain = "acgs_inbound_caller_requests_total{caller=\"unauthenticated\",code_class=\"2xx\"} 1\n";
        var metrics = await Eventually.ValueAsync(
            () => sidecar.AdminGetStringAsync("/metrics"),
            static t => t.Contains(Mtls, StringComparison.Ordinal) && t.Contains(Plain, StringComparison.Ordinal));
        Assert.Contains(Mtls, metrics, StringComparison.Ordinal);
        Assert.Contains(Plain, metrics, StringComparison.Ordinal);
        Assert.Contains("acgs_mtls_handshakes_total{direction=\"inbound\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Permissive_Http2OverTls_NegotiatedByAlpn()
    {
        await using var sidecar = await StartOrdersAsync(MutualTlsMode.Permissive);
        using var admin = _plane.AdminClient();
        var (certificate, anchors) = await WorkloadCertificates.IssueAsync(admin, _plane.Address, "payments");
        using var client = WorkloadCertificates.Client(certificate, anchors, Orders, HttpVersion.Version20);

        var request = SidecarTestHost.Request(HttpMethod.Get, Https(sidecar, "/"), "/h2");
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("spiffe://acgs.local/svc/payments", _app.LastPeerIdentity);
    }

    [Fact]
    public async Task Strict_PlaintextRefused_MtlsAccepted()
    {
        await using var sidecar = await StartOrdersAsync(MutualTlsMode.Strict);
        using var admin = _plane.AdminClient();
        var (certificate, anchors) = await WorkloadCertificates.IssueAsync(admin, _plane.Address, "payments");
        using var client = WorkloadCertificates.Client(certificate, anchors, Orders);
        var before = _app.Requests;

        await Assert.ThrowsAsync<HttpRequestException>(() => sidecar.GetInboundAsync("/plain"));
        Assert.Equal(before, _app.Requests);

        using var tls = await client.SendAsync(SidecarTestHost.Request(HttpMethod.Get, Https(sidecar, "/"), "/tls"));
        Assert.Equal(HttpStatusCode.OK, tls.StatusCode);
        Assert.Contains("acgs_mtls_rejections_total{reason=\"plaintext_refused\"}", await sidecar.AdminGetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_ForgedSelfSignedOrNoClientCertificate_RefusedAtHandshake()
    {
        await using var sidecar = await StartOrdersAsync(MutualTlsMode.Permissive);
        using var admin = _plane.AdminClient();
        var (_, anchors) = await WorkloadCertificates.IssueAsync(admin, _plane.Address, "payments");
        using var forged = WorkloadCertificates.Forged("spiffe://acgs.local/svc/payments");
        using var forgedClient = WorkloadCertificates.Client(forged, anchors, Orders);
        using var anonymous = WorkloadCertificates.Client(null, anchors, Orders);
        var before = _app.Requests;

        await Assert.ThrowsAsync<HttpRequestException>(() => forgedClient.SendAsync(SidecarTestHost.Request(HttpMethod.Get, Https(sidecar, "/"), "/x")));
        await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.SendAsync(SidecarTestHost.Request(HttpMethod.Get, Https(sidecar, "/"), "/x")));

        Assert.Equal(before, _app.Requests);
        var metrics = await sidecar.AdminGetStringAsync("/metrics");
        Assert.Matches("acgs_mtls_rejections_total\\{reason=\"untrusted\"\\} [1-9]", metrics);
        Assert.Matches("acgs_mtls_rejections_total\\{reason=\"no_certificate\"\\} [1-9]", metrics);
    }
}
