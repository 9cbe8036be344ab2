// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Acgs.Contracts.Config;
using Acgs.Sidecar.Tests.ControlPlaneClient;
using Acgs.Sidecar.Tests.Fixtures;

namespace Acgs.Sidecar.Tests.Identity;

/// <summary>
/// Certificates of 10 s (renewed about every 5 s) while 1,000 requests a second (paced, 32 in flight at most) flow
/// client sidecar → mTLS → server sidecar → app for 10 s: no request fails, and new handshakes get the renewed
/// certificate. <c>ACGS_ROTATION_TEST_SECONDS=60</c> runs the long form: 20 s certificates (renewed about every 10 s)
/// for 60 s.
/// </summary>
public sealed class RotationUnderLoadTests : IAsyncLifetime
{
    private const int Rate = 1000;
    private const int Workers = 32;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("ACGS_ROTATION_TEST_SECONDS"), out var seconds) && seconds > 0 ? seconds : 10);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acgs-rotation", Guid.NewGuid().ToString("N"));
    private ControlPlaneProcess _plane = null!;
    private TestUpstream _ordersApp = null!;
    private TestUpstream _paymentsApp = null!;

    public async Task InitializeAsync()
    {
        _plane = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp"), new Dictionary<string, string> { ["ACGS_CERT_TTL"] = Duration >= TimeSpan.FromSeconds(60) ? "20s" : "10s" });
        _ordersApp = await TestUpstream.StartAsync("orders-app");
        _paymentsApp = await TestUpstream.StartAsync("payments-app");
    }

    public async Task DisposeAsync()
    {
        await _paymentsApp.DisposeAsync();
        await _ordersApp.DisposeAsync();
        await _plane.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Rotation_ShortLivedCertificatesUnderLoad_NoErrorsAndNewHandshakesGetNewCertificates()
    {
        using var admin = _plane.AdminClient();
        await using var server = await IdentityTestMesh.StartAsync(_ordersApp.Port, "orders",
            IdentityTestMesh.Settings(_plane.Address, "orders", await IdentityTestMesh.MintAsync(admin, "orders")),
            snapshot: s => s with { MutualTls = new MutualTlsConfig { Mode = MutualTlsMode.Strict } });
        Assert.Equal(HttpStatusCode.OK, await server.WaitForAdminStatusAsync("/health/ready", HttpStatusCode.OK));
        await using var client = await IdentityTestMesh.StartAsync(_paymentsApp.Port, "payments",
            IdentityTestMesh.Settings(_plane.Address, "payments", await IdentityTestMesh.MintAsync(admin, "payments")),
            snapshot: s => s with
            {
                Clusters = System.Collections.Immutable.ImmutableDictionary<string, ClusterConfig>.Empty.Add("orders",
                    new ClusterConfig { Destinations = [$"127.0.0.1:{server.Host.InboundPort}"], Identity = "spiffe://acgs.local/svc/orders" }),
                Routes = [new OutboundRoute { Host = "orders", Cluster = "orders" }],
            });
        Assert.Equal(HttpStatusCode.OK, await client.WaitForAdminStatusAsync("/health/ready", HttpStatusCode.OK));
        var (probeCertificate, anchors) = await WorkloadCertificates.IssueAsync(admin, _plane.Address, "probe");
        var failures = new ConcurrentQueue<string>();
        var serverSerials = new ConcurrentDictionary<string, byte>();
        var requests = 0;
        var clock = Stopwatch.StartNew();

        // Request n is due at n / Rate seconds; worker k sends k, k + Workers, ... (late ones go at once).
        async Task LoadAsync(int worker)
        {
            for (long n = worker; n < Rate * (long)Duration.TotalSeconds; n += Workers)
            {
                var wait = TimeSpan.FromSeconds((double)n / Rate) - clock.Elapsed;
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait); // pacing of the open load, not synchronisation
                }

                var request = SidecarTestHost.Request(HttpMethod.Get, client.Outbound, "/load");
                request.Headers.Host = "orders";
                try
                {
                    using var response = await client.Client.SendAsync(request);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        failures.Enqueue("status " + (int)response.StatusCode);
                    }
                }
                catch (HttpRequestException ex)
                {
                    failures.Enqueue(ex.Message);
                }

                Interlocked.Increment(ref requests);
            }
        }

        async Task ProbeAsync()
        {
            while (clock.Elapsed < Duration)
            {
                if (probeCertificate.NotAfter.ToUniversalTime() - DateTime.UtcNow < TimeSpan.FromSeconds(4))
                {
                    // The probe is a workload too: it renews before its own short-lived certificate expires.
                    probeCertificate.Dispose();
                    (probeCertificate, _) = await WorkloadCertificates.IssueAsync(admin, _plane.Address, "probe");
                }

                using var handler = new SocketsHttpHandler
                {
                    SslOptions = new SslClientAuthenticationOptions
                    {
                        ClientCertificates = [probeCertificate],
                        RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                        {
                            var leaf = (X509Certificate2)certificate!;
                            serverSerials.TryAdd(leaf.SerialNumber, 0);
                            using var chain = new X509Chain();
                            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                            chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
                            return chain.Build(leaf) && Acgs.Contracts.Identity.WorkloadCertificate.GetSpiffeId(leaf) == "spiffe://acgs.local/svc/orders";
                        },
                    },
                };
                using var fresh = new HttpClient(handler);
                using var response = await fresh.SendAsync(SidecarTestHost.Request(HttpMethod.Get, new Uri($"https://127.0.0.1:{server.Host.InboundPort}/"), "/probe"));
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Enqueue("probe status " + (int)response.StatusCode);
                }

                await Task.Delay(250); // pacing of the probe loop, not synchronisation
            }
        }

        var load = new List<Task> { ProbeAsync() };
        for (var k = 0; k < Workers; k++)
        {
            load.Add(LoadAsync(k));
        }

        await Task.WhenAll(load);

        Assert.Empty(failures);
        Assert.True(requests == Rate * (long)Duration.TotalSeconds, $"{requests} requests sent");
        Assert.True(serverSerials.Count >= 2, $"new handshakes saw {serverSerials.Count} server certificate(s)");
        var served = JsonNode.Parse(await server.AdminGetStringAsync("/identity"))!;
        var calling = JsonNode.Parse(await client.AdminGetStringAsync("/identity"))!;
        Assert.True((long)served["certificates_obtained"]! >= 2, served.ToJsonString());
        Assert.True((long)calling["certificates_obtained"]! >= 2, calling.ToJsonString());
    }
}
