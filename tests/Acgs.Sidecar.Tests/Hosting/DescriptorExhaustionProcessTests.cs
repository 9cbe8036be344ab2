// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Sockets;
using Acgs.Core;
using Acgs.Sidecar.Tests.Fixtures;

namespace Acgs.Sidecar.Tests.Hosting;

/// <summary>
/// A flood of idle connections against a sidecar with few descriptors (a child process under <c>prlimit --nofile=1024</c>):
/// each listener's connection limit closes the excess at once, the descriptor reserve keeps the app probe and the
/// upstream pool working, the header timeout frees the idle slots, and the process never exits.
/// </summary>
public sealed class DescriptorExhaustionProcessTests
{
    private const int Flood = 2000;

    [Fact]
    public async Task IdleConnectionFlood_LowDescriptorLimit_KeepsServingAndNeverExits()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarProcess.StartAsync(app.Port, new Dictionary<string, string>
        {
            ["ACGS_REQUEST_HEADERS_TIMEOUT_SECONDS"] = "2",
        }, maxDescriptors: 1024);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 1 }) { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, sidecar.Inbound, "/before")); // a keep-alive connection opened before the flood

        var idle = new List<Socket>();
        try
        {
            foreach (var target in new[] { sidecar.Inbound, sidecar.Outbound })
            {
                for (var i = 0; i < Flood; i++)
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    idle.Add(socket);
                    try
                    {
                        await socket.ConnectAsync(IPAddress.Loopback, target.Port);
                    }
                    catch (SocketException)
                    {
                        // the sidecar closed it already (over the limit): the flood goes on
                    }
                }
            }

            // Under the flood: the open connection, the admin listener and readiness (the app probe) keep working.
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal(HttpStatusCode.OK, await GetAsync(client, sidecar.Inbound, "/during"));
            }

            await sidecar.WaitAsync("health/ready");
            Assert.True(await sidecar.MetricAsync("acgs_connections_rejected_total{listener=\"inbound\"}") > 0, sidecar.Output());
        }
        finally
        {
            idle.ForEach(static s => s.Dispose());
        }

        // The flood's connections that were admitted are closed by the header timeout; new connections are served again.
        using var fresh = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        await Acgs.Testing.Eventually.TrueAsync(async () => await TryGetAsync(fresh, sidecar.Inbound) == HttpStatusCode.OK, "a new connection is served after the flood");
        Assert.False(sidecar.Process.HasExited, "the sidecar exited: " + sidecar.Output());
        Assert.DoesNotContain("Too many open files", sidecar.Output(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The connection limit set far above the descriptors, so the flood runs the process out of them (EMFILE): the
    /// accept loop backs off and retries instead of failing, the open connection is served throughout, and once the
    /// idle connections are gone new ones are accepted again. The finding this guards: EMFILE stopped the host.
    /// </summary>
    [Fact(Skip = "known gap: the JIT-built sidecar died with 'Out of memory.' during this flood in 1 of 5 runs with three test runs in parallel (2026-12-07); the Native AOT build passed 21 of 21 (ACGS_TEST_SIDECAR_BINARY); docs/limits.md")]
    public async Task IdleConnectionFlood_LimitAboveDescriptors_BacksOffOnEmfileAndNeverExits()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarProcess.StartAsync(app.Port, new Dictionary<string, string>
        {
            ["ACGS_REQUEST_HEADERS_TIMEOUT_SECONDS"] = "2",
            ["ACGS_MAX_CONNECTIONS_INBOUND"] = "100000",
        }, maxDescriptors: 1024);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 1 }) { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, sidecar.Inbound, "/before"));

        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < Flood; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                idle.Add(socket);
                try
                {
                    await socket.ConnectAsync(IPAddress.Loopback, sidecar.Inbound.Port);
                }
                catch (SocketException)
                {
                    // the backlog is full: the flood goes on
                }
            }

            for (var i = 0; i < 20; i++)
            {
                Assert.Equal(HttpStatusCode.OK, await TryGetAsync(client, sidecar.Inbound, "/during", sidecar));
            }
        }
        finally
        {
            idle.ForEach(static s => s.Dispose());
        }

        using var fresh = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        await Acgs.Testing.Eventually.TrueAsync(async () => await TryGetAsync(fresh, sidecar.Inbound) == HttpStatusCode.OK, "a new connection is served after the flood", TimeSpan.FromSeconds(60));
        await sidecar.WaitAsync("health/ready");
        Assert.True(await sidecar.MetricAsync("acgs_client_faults_total{cause=\"descriptors_exhausted\"}") > 0, "EMFILE was never reached: " + sidecar.Output());
        Assert.False(sidecar.Process.HasExited, "the sidecar exited: " + sidecar.Output());
    }

    [Fact]
    public async Task Run_ListenerCannotBind_ExitsNonZeroWithOneLine()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var sidecar = SidecarProcess.Launch(Acgs.Testing.FreePort.Get(), new Dictionary<string, string> { ["ACGS_INBOUND_PORT"] = port });

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await sidecar.Process.WaitForExitAsync(cts.Token);

        Assert.NotEqual(0, sidecar.Process.ExitCode);
        Assert.Contains("acgs-sidecar: fatal:", sidecar.Output(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", sidecar.Output(), StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> GetAsync(HttpClient client, Uri baseUri, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, path));
        request.Headers.Add("X-Constitutional-Hash", AcgsConstants.ConstitutionalHash);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>GET that fails the test with the sidecar's output when the request cannot be made at all.</summary>
    private static async Task<HttpStatusCode> TryGetAsync(HttpClient client, Uri baseUri, string path, SidecarProcess sidecar)
    {
        try
        {
            return await GetAsync(client, baseUri, path);
        }
        catch (HttpRequestException e)
        {
            Assert.Fail($"{path}: {e.Message}; exited: {sidecar.Process.HasExited}; output: {sidecar.Output()}");
            throw;
        }
    }

    private static async Task<HttpStatusCode?> TryGetAsync(HttpClient client, Uri baseUri)
    {
        try
        {
            return await GetAsync(client, baseUri, "/after");
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
