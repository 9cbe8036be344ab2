// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Net;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Acgs.Contracts.Config;
using Acgs.Core.Logging;
using Acgs.Sidecar.AccessLog;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Tests.ControlPlaneClient;
using Acgs.Sidecar.Tests.Fixtures;

namespace Acgs.Sidecar.Tests.Identity;

/// <summary>Two real sidecars with certificates from a real control plane: client sidecar → mTLS → server sidecar → app.</summary>
public sealed class OutboundMtlsTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acgs-mtls-out", Guid.NewGuid().ToString("N"));
    private ControlPlaneProcess _plane = null!;
    private TestUpstream _ordersApp = null!;
    private TestUpstream _paymentsApp = null!;

    public async Task InitializeAsync()
    {
        _plane = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp"));
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

    private async Task<SidecarTestHost> StartAsync(string service, TestUpstream app, MutualTlsMode mode, Func<ConfigSnapshot, ConfigSnapshot>? snapshot = null,
        Func<SidecarOptions, SidecarOptions>? options = null, Acgs.Sidecar.Hosting.ListenerLimits? limits = null, string? accessLog = null)
    {
        using var admin = _plane.AdminClient();
        var token = await IdentityTestMesh.MintAsync(admin, service);
        var sidecar = await IdentityTestMesh.StartAsync(app.Port, service, IdentityTestMesh.Settings(_plane.Address, service, token),
            snapshot: s => (snapshot ?? (x => x))(s with { MutualTls = new MutualTlsConfig { Mode = mode } }), options: options, limits: limits,
            accessLog: accessLog is null ? null : new AccessLogOptions(accessLog, 1.0, LogFormat.Json));
        Assert.Equal(HttpStatusCode.OK, await sidecar.WaitForAdminStatusAsync("/health/ready", HttpStatusCode.OK));
        return sidecar;
    }

    private static Func<ConfigSnapshot, ConfigSnapshot> RouteTo(SidecarTestHost server, string? identity) => s => s with
    {
        Clusters = ImmutableDictionary<string, ClusterConfig>.Empty.Add("orders",
            new ClusterConfig { Destinations = [$"127.0.0.1:{server.Host.InboundPort}"], Identity = identity }),
        Routes = [new OutboundRoute { Host = "orders", Cluster = "orders" }],
    };

    private static Task<HttpResponseMessage> CallOrdersAsync(SidecarTestHost client, string path = "/api", bool h2c = false)
    {
        var request = SidecarTestHost.Request(HttpMethod.Get, client.Outbound, path);
        request.Headers.Host = "orders";
        if (h2c)
        {
            request.Version = HttpVersion.Version20; // h2c with prior knowledge to the client sidecar's outbound listener
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        return client.Client.SendAsync(request);
    }

    // The protocol the server sidecar's inbound listener saw for the request to path (its access log): the mTLS hop's.
    private static async Task<string> HopProtocolAsync(string log, string path)
    {
        var line = await Acgs.Testing.Eventually.ValueAsync(
            () => ReadLines(log).FirstOrDefault(l => l.Contains("\"path\":\"" + path + "\"", StringComparison.Ordinal)), static l => l is not null, TimeSpan.FromSeconds(60));
        using var json = JsonDocument.Parse(line!);
        Assert.Equal("inbound", json.RootElement.GetProperty("listener").GetString());
        return json.RootElement.GetProperty("protocol").GetString()!;
    }

    private static string[] ReadLines(string file)
    {
        if (!File.Exists(file))
        {
            return [];
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private string ServerLog() => Path.Combine(_directory, "server-access-" + Guid.NewGuid().ToString("N") + ".log");

    [Theory]
    [InlineData("auto", false, "HTTP/1.1")] // the default: an HTTP/1.1 caller crosses over the HTTP/1.1 warm pool
    [InlineData("auto", true, "HTTP/2")] // an h2 caller crosses over HTTP/2
    [InlineData("h2", false, "HTTP/2")] // ACGS_MTLS_HOP_PROTOCOL=h2: every request over HTTP/2, as before the per-request choice
    [InlineData("h2", true, "HTTP/2")]
    [InlineData("http1", true, "HTTP/1.1")] // ACGS_MTLS_HOP_PROTOCOL=http1: every request over HTTP/1.1
    public async Task Outbound_HopProtocol_CallerProtocolOrForcedSetting_ServerSidecarSeesIt(string hop, bool h2c, string expectedHop)
    {
        var log = ServerLog();
        await using var server = await StartAsync("orders", _ordersApp, MutualTlsMode.Strict, accessLog: log);
        await using var client = await StartAsync("payments", _paymentsApp, MutualTlsMode.Permissive, RouteTo(server, "spiffe://acgs.local/svc/orders"),
            o => o with { MeshHop = Enum.Parse<MeshHopProtocol>(hop, ignoreCase: true) });

        using var response = await CallOrdersAsync(client, "/hop", h2c);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(h2c ? HttpVersion.Version20 : HttpVersion.Version11, response.Version); // the caller is answered in its own protocol
        Assert.Equal("orders-app:/hop:HTTP/1.1", await response.Content.ReadAsStringAsync()); // the app hop stays HTTP/1.1
        Assert.Equal("spiffe://acgs.local/svc/payments", _ordersApp.LastPeerIdentity);
        Assert.Equal(expectedHop, await HopProtocolAsync(log, "/hop"));
    }

    [Fact]
    public async Task Outbound_AutoHop_H2CallerBesideBusyWarmPool_CrossesOverHttp2PoolWithoutWaiting()
    {
        var log = ServerLog();
        await using var server = await StartAsync("orders", _ordersApp, MutualTlsMode.Strict, accessLog: log);
        await using var client = await StartAsync("payments", _paymentsApp, MutualTlsMode.Permissive, RouteTo(server, "spiffe://acgs.local/svc/orders"),
            o => o with { MeshMaxConnections = 1, MeshOverflowAfter = TimeSpan.FromSeconds(30) }); // one warm connection, no overflow while the test runs
        var slow = CallOrdersAsync(client, "/slow?ms=2000"); // HTTP/1.1: holds the only warm connection
        await _ordersApp.SlowRequestArrived.Task.WaitAsync(TimeSpan.FromSeconds(60));

        using var h2 = await CallOrdersAsync(client, "/grpc-like", h2c: true);
        using var first = await slow;

        Assert.Equal(HttpStatusCode.OK, h2.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("HTTP/2", await HopProtocolAsync(log, "/grpc-like"));
        Assert.Equal("HTTP/1.1", await HopProtocolAsync(log, "/slow"));
        var metrics = await client.AdminGetStringAsync("/metrics");
        Assert.Equal(0, Counter(metrics, "acgs_mtls_pool_waits_total")); // the h2 request never queued for the HTTP/1.1 warm connection
        Assert.Equal(2, Counter(metrics, "acgs_mtls_handshakes_total\\{direction=\"outbound\"\\}")); // one connection per pool, each peer checked
    }

    [Fact]
    public async Task Outbound_AutoHop_GrpcLikeH2Post_AnsweredEndToEndOverHttp2Hop()
    {
        var log = ServerLog();
        await using var server = await StartAsync("orders", _ordersApp, MutualTlsMode.Strict, accessLog: log);
        await using var client = await StartAsync("payments", _paymentsApp, MutualTlsMode.Permissive, RouteTo(server, "spiffe://acgs.local/svc/orders"));
        using var request = SidecarTestHost.Request(HttpMethod.Post, client.Outbound, "/orders.v1.Orders/Get");
        request.Headers.Host = "orders";
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        request.Content = new ByteArrayContent([0, 0, 0, 0, 2, 8, 1]); // one length-prefixed gRPC message
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");

        using var response = await client.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("orders-app:/orders.v1.Orders/Get:HTTP/1.1", await response.Content.ReadAsStringAsync());
        Assert.Equal("HTTP/2", await HopProtocolAsync(log, "/orders.v1.Orders/Get"));
    }

    [Fact]
    public async Task Outbound_MeshedCluster_MtlsToStrictServer_AppSeesCallerIdentity()
    {
        await using var server = await StartAsync("orders", _ordersApp, MutualTlsMode.Strict);
        await using var client = await StartAsync("payments", _paymentsApp, MutualTlsMode.Permissive, RouteTo(server, "spiffe://acgs.local/svc/orders"));

        using var response = await CallOrdersAsync(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("spiffe://acgs.local/svc/payments", _ordersApp.LastPeerIdentity);
    }

    [Fact]
    public async Task Outbound_ServerProvesAnotherIdentity_RefusedAtHandshake_AppNotReached()
    {
        await using var server = await StartAsync("orders", _ordersApp, MutualTlsMode.Permissive);
        await using var client = await StartAsync("payments", _paymentsApp, MutualTlsMode.Permissive, RouteTo(server, "spiffe://acgs.local/svc/billing"));
        var before = _ordersApp.Requests;

        using var response = await CallOrdersAsync(client);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(before, _ordersApp.Requests);
        Assert.Matches("acgs_mtls_rejections_total\\{reason=\"identity_mismatch\"\\} [1-9]", await client.AdminGetStringAsync("/metrics"));
    }

    [Fact]
    public async Task Outbound_ClusterWithoutIdentity_StaysPlaintext_StrictServerRefuses()
    {
        await using var server = await StartAsync("orders", _ordersApp, MutualTlsMode.Strict);
        await using var client = await StartAsync("payments", _paymentsApp, MutualTlsMode.Permissive, RouteTo(server, null));

        using var response = await CallOrdersAsync(client);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(0, 8)]
    public async Task Outbound_BurstOverHttp11Hop_ConnectionsBoundedByMeshMaxConnections(int maxConnections, int expectedHandshakes)
    {
        await using var server = await StartAsync("orders", _ordersApp, MutualTlsMode.Strict);
        await using var client = await StartAsync("payments", _paymentsApp, MutualTlsMode.Permissive, RouteTo(server, "spiffe://acgs.local/svc/orders"),
            o => o with { MeshMaxConnections = maxConnections, MeshOverflowAfter = TimeSpan.Zero }); // the default hop: HTTP/1.1 callers over the bounded pool
        var calls = new Task<HttpResponseMessage>[8];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i] = CallOrdersAsync(client, "/slow?ms=600"); // eight at once, each holding its connection for 600 ms
        }

        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(responses, r => r.Dispose());
        var metrics = await server.AdminGetStringAsync("/metrics");
        var handshakes = Regex.Match(metrics, "acgs_mtls_handshakes_total\\{direction=\"inbound\"\\} ([0-9]+)");
        Assert.True(handshakes.Success, metrics);
        Assert.Equal(expectedHandshakes, int.Parse(handshakes.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(0, 600, 2, 0)] // no overflow: the bound caps concurrency, the two beyond it wait for a connection
    [InlineData(10_000, 300, 2, 0)] // overflow after 10 s: a burst shorter than the wait reuses the warm connections
    [InlineData(100, 3_000, 4, 2)] // overflow after 100 ms: long calls beyond the bound go over connections of their own
    public async Task Outbound_CallsBeyondWarmPool_OverflowOnlyAfterWait_PeerCheckedOnEveryConnection(
        int overflowAfterMs, int slowMs, int expectedHandshakes, int expectedOverflows)
    {
        await using var server = await StartAsync("orders", _ordersApp, MutualTlsMode.Strict);
        await using var client = await StartAsync("payments", _paymentsApp, MutualTlsMode.Permissive, RouteTo(server, "spiffe://acgs.local/svc/orders"),
            o => o with { MeshMaxConnections = 2, MeshOverflowAfter = TimeSpan.FromMilliseconds(overflowAfterMs) });
        var calls = new Task<HttpResponseMessage>[4];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i] = CallOrdersAsync(client, string.Create(CultureInfo.InvariantCulture, $"/slow?ms={slowMs}"));
        }

        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(responses, r => r.Dispose());
        Assert.Equal(expectedHandshakes, Counter(await server.AdminGetStringAsync("/metrics"), "acgs_mtls_handshakes_total\\{direction=\"inbound\"\\}"));
        var clientMetrics = await client.AdminGetStringAsync("/metrics");
        Assert.Equal(expectedHandshakes, Counter(clientMetrics, "acgs_mtls_handshakes_total\\{direction=\"outbound\"\\}")); // every connection's peer accepted by the check
        Assert.Equal(expectedOverflows, Counter(clientMetrics, "acgs_mtls_pool_overflows_total"));
    }

    [Fact]
    public async Task Outbound_BurstBeyondWarmAndOverflowPools_ConnectionsBoundedByBoth_EveryCallAnswered()
    {
        await using var server = await StartAsync("orders", _ordersApp, MutualTlsMode.Strict);
        await using var client = await StartAsync("payments", _paymentsApp, MutualTlsMode.Permissive, RouteTo(server, "spiffe://acgs.local/svc/orders"),
            o => o with { MeshMaxConnections = 2, MeshOverflowAfter = TimeSpan.FromMilliseconds(100), MeshOverflowMaxConnections = 2 });
        var calls = new Task<HttpResponseMessage>[8];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i] = CallOrdersAsync(client, "/slow?ms=3000"); // eight at once: two warm, two overflow, four past both pools
        }

        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(responses, r => r.Dispose());
        Assert.Equal(4, Counter(await server.AdminGetStringAsync("/metrics"), "acgs_mtls_handshakes_total\\{direction=\"inbound\"\\}"));
        var clientMetrics = await client.AdminGetStringAsync("/metrics");
        Assert.Equal(4, Counter(clientMetrics, "acgs_mtls_handshakes_total\\{direction=\"outbound\"\\}"));
        Assert.Equal(6, Counter(clientMetrics, "acgs_mtls_pool_waits_total"));
        Assert.Equal(4, Counter(clientMetrics, "acgs_mtls_pool_overflow_full_total")); // waited for a freed slot instead of a new connection
        Assert.InRange(Counter(clientMetrics, "acgs_mtls_pool_overflows_total"), 2, 6); // the four past both pools took whichever slot freed first
    }

    [Theory]
    [InlineData(0, 6, 6, 0)] // no open rate: two warm, four overflow connections, two requests wait for a freed one
    // One token, none more for 1,000 s: one overflow connection, five requests wait instead of handshaking. The slot is
    // freed at the response headers, so a waiter handed it before that connection has read its response body can make
    // the pool (bound 4) open one more without a token: at most once per hand-off of the overflow slot (two rounds).
    [InlineData(0.001, 3, 5, 5)]
    public async Task Outbound_StallBeyondOverflowOpenRate_WaitsForFreedConnections_HandshakesBoundedByBucket(
        double openRate, int minHandshakes, int maxHandshakes, int expectedThrottled)
    {
        await using var server = await StartAsync("orders", _ordersApp, MutualTlsMode.Strict);
        await using var client = await StartAsync("payments", _paymentsApp, MutualTlsMode.Permissive, RouteTo(server, "spiffe://acgs.local/svc/orders"),
            o => o with
            {
                MeshMaxConnections = 2, MeshOverflowAfter = TimeSpan.FromMilliseconds(100), MeshOverflowMaxConnections = 4,
                MeshOverflowOpenRate = openRate, MeshOverflowOpenBurst = 1,
            });
        var calls = new Task<HttpResponseMessage>[8];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i] = CallOrdersAsync(client, "/slow?ms=2000"); // eight at once, each holding its connection for 2 s
        }

        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(responses, r => r.Dispose());
        var handshakes = Counter(await server.AdminGetStringAsync("/metrics"), "acgs_mtls_handshakes_total\\{direction=\"inbound\"\\}");
        Assert.InRange(handshakes, minHandshakes, maxHandshakes);
        var clientMetrics = await client.AdminGetStringAsync("/metrics");
        Assert.Equal(handshakes, Counter(clientMetrics, "acgs_mtls_handshakes_total\\{direction=\"outbound\"\\}")); // every connection's peer checked
        Assert.Equal(expectedThrottled, Counter(clientMetrics, "acgs_mtls_pool_overflow_throttled_total"));
    }

    [Fact]
    public async Task Outbound_OverflowConnectionsIdledOut_NextStallReopensOnlyWithTokens()
    {
        await using var server = await StartAsync("orders", _ordersApp, MutualTlsMode.Strict);
        await using var client = await StartAsync("payments", _paymentsApp, MutualTlsMode.Permissive, RouteTo(server, "spiffe://acgs.local/svc/orders"),
            o => o with
            {
                MeshMaxConnections = 1, MeshOverflowAfter = TimeSpan.FromMilliseconds(100), MeshOverflowMaxConnections = 4,
                MeshOverflowOpenRate = 0.001, MeshOverflowOpenBurst = 2,
            },
            new Acgs.Sidecar.Hosting.ListenerLimits { UpstreamIdleTimeout = TimeSpan.FromSeconds(1) });
        await CallThreeSlowAsync(client); // one warm connection and two overflow ones: the bucket's two tokens
        Assert.Equal(3, Counter(await client.AdminGetStringAsync("/metrics"), "acgs_mtls_handshakes_total\\{direction=\"outbound\"\\}"));

        await Acgs.Testing.Eventually.TrueAsync( // both idled out (1 s) and closed by the client's pool
            async () => Counter(await client.AdminGetStringAsync("/metrics"), "acgs_mtls_pool_overflow_connections") == 0,
            "the overflow connections closed", TimeSpan.FromSeconds(60));
        await CallThreeSlowAsync(client);

        var metrics = await client.AdminGetStringAsync("/metrics");
        Assert.Equal(2, Counter(metrics, "acgs_mtls_pool_overflow_throttled_total")); // their slots went with them: no token left
        Assert.InRange(Counter(metrics, "acgs_mtls_handshakes_total\\{direction=\"outbound\"\\}"), 3, 4); // at most the warm one reopened
    }

    private static async Task CallThreeSlowAsync(SidecarTestHost client)
    {
        var calls = new Task<HttpResponseMessage>[3];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i] = CallOrdersAsync(client, "/slow?ms=1500");
        }

        var responses = await Task.WhenAll(calls);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(responses, r => r.Dispose());
    }

    private static int Counter(string metrics, string pattern)
    {
        var match = Regex.Match(metrics, "(?m)^" + pattern + " ([0-9]+)");
        Assert.True(match.Success, metrics);
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
