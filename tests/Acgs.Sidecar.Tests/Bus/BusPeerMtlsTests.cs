// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Security;
using System.Net.Sockets;
using Acgs.Contracts.BusWire;
using Acgs.Core;
using Acgs.Sidecar.Bus;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Tests.ControlPlaneClient;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Sidecar.Tests.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Tests.Bus;

/// <summary>Two real sidecars with workload identity and the bus: peer links are mTLS; the PeerLink flag alone earns nothing.</summary>
public sealed class BusPeerMtlsTests : IAsyncLifetime
{
    private const string OrdersId = "spiffe://acgs.local/svc/orders";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acgs-bus-mtls", Guid.NewGuid().ToString("N"));
    private ControlPlaneProcess _plane = null!;
    private TestUpstream _app = null!;

    public async Task InitializeAsync()
    {
        _plane = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp"));
        _app = await TestUpstream.StartAsync("bus-app");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _plane.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Register_PeerLinkFlagFromPlaintextClient_IsRefusedWithPeerUnauthenticatedAndCounted()
    {
        await using var payments = await StartAsync("payments");
        var router = payments.Host.Services.GetRequiredService<BusRouter>();
        using var socket = await ConnectAsync(payments);

        await BusRawHost.SendAsync(socket, w => BusFrameWriter.WriteRegister(w, "evil", string.Empty, AcgsConstants.ConstitutionalHash, BusFrameFlagBits.PeerLink));
        var refused = await BusRawHost.ReadFrameAsync(socket);

        Assert.Equal(BusErrorCode.PeerUnauthenticated, BusAgentAuthTests.ErrorCode(refused));
        Assert.Null(await BusRawHost.ReadFrameAsync(socket));
        Assert.Equal(1, router.Metrics.ConnectionsRefused.WithLabels(BusMetrics.PeerUnauthenticatedReason).Value);
    }

    [Fact]
    public async Task Send_AgentOnAnotherSidecar_TravelsOverMtlsPeerLinkCarryingTheVerifiedSidecarIdentity()
    {
        await using var orders = await StartAsync("orders");
        await using var payments = await StartAsync("payments");
        var ordersBus = orders.Host.Services.GetRequiredService<BusRouter>();
        var paymentsBus = payments.Host.Services.GetRequiredService<BusRouter>();
        var paymentsAddress = $"127.0.0.1:{payments.Host.Services.GetRequiredService<BusListeners>().BusPort}";
        ordersBus.Directory.Update(new Dictionary<string, string> { ["agent-b"] = paymentsAddress });
        using var b = await RegisterAsync(payments, "agent-b");
        using var a = await RegisterAsync(orders, "agent-a");

        await BusRawHost.SendAsync(a, w => BusFrameWriter.WriteMessage(w, BusFrameType.Send, BusAgentAuthTests.Envelope("m-1", "agent-a", "agent-b", "t1"), "x"u8));
        var deliver = await BusRawHost.ReadFrameAsync(b);
        await BusRawHost.SendAsync(b, w => BusFrameWriter.WriteAck(w, "m-1"));
        var ack = await BusRawHost.ReadFrameAsync(a);

        Assert.Equal((byte)BusFrameType.Deliver, deliver![BusWireConstants.TypeOffset]);
        Assert.Equal((byte)BusFrameType.Ack, ack![BusWireConstants.TypeOffset]);
        var peer = Assert.Single(paymentsBus.Sessions, s => s.IsPeer);
        Assert.Equal(OrdersId, peer.PeerIdentity);
        Assert.Equal(0, paymentsBus.Metrics.ConnectionsRefused.WithLabels(BusMetrics.PeerUnauthenticatedReason).Value);
    }

    [Fact]
    public async Task Connect_TlsWithForgedCertificate_IsRefusedInTheHandshake()
    {
        await using var payments = await StartAsync("payments");
        var router = payments.Host.Services.GetRequiredService<BusRouter>();
        using var socket = await ConnectAsync(payments);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await using var tls = new SslStream(stream);
        using var forged = WorkloadCertificates.Forged(OrdersId);

        var handshake = tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = BusPeerTls.TargetHost,
            ClientCertificates = [forged],
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null, // the test is about the server refusing the client
        });

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await handshake;
            var buffer = new byte[1];
            if (await tls.ReadAsync(buffer) == 0)
            {
                throw new IOException("closed after the handshake");
            }
        });
        Assert.DoesNotContain(router.Sessions, s => s.IsPeer);
    }

    private async Task<SidecarTestHost> StartAsync(string service)
    {
        using var admin = _plane.AdminClient();
        var token = await IdentityTestMesh.MintAsync(admin, service);
        var settings = IdentityTestMesh.Settings(_plane.Address, service, token);
        var bootstrap = new SidecarBootstrap(SidecarTestHost.Options(_app.Port, service), SidecarTestHost.Snapshot(service), ConfigSources.Bootstrap, HashOverrides.None);
        var host = await Acgs.Sidecar.Hosting.SidecarHost.CreateAsync(bootstrap, builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddSingleton(settings);
            builder.UseAcgsBus(new BusOptions { Address = "127.0.0.1", Port = 0, HttpPort = -1 });
        });
        Assert.True(host.InitialApply.Accepted, string.Join("; ", host.InitialApply.Errors));
        await host.StartAsync();
        var sidecar = SidecarTestHost.Wrap(host);
        await IdentityTestMesh.WaitForIdentityAsync(sidecar, j => j["serial"] is not null);
        return sidecar;
    }

    private static async Task<Socket> ConnectAsync(SidecarTestHost sidecar)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, sidecar.Host.Services.GetRequiredService<BusListeners>().BusPort);
        return socket;
    }

    private static async Task<Socket> RegisterAsync(SidecarTestHost sidecar, string agent)
    {
        var socket = await ConnectAsync(sidecar);
        await BusRawHost.SendAsync(socket, w => BusFrameWriter.WriteRegister(w, agent, "t1", AcgsConstants.ConstitutionalHash));
        var ack = await BusRawHost.ReadFrameAsync(socket);
        Assert.Equal((byte)BusFrameType.RegisterAck, ack![BusWireConstants.TypeOffset]);
        return socket;
    }
}
