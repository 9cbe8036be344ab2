// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Acgs.Core;
using Acgs.Sidecar.Transparent;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Transparent;

/// <summary>
/// Transparent proxying for real: a network namespace (the pod) with the rules of
/// deploy/iptables/acgs-iptables.sh, the built sidecar inside it as uid 1337, a Kestrel backend in the
/// test's namespace reached over a veth pair. Needs root, iproute2, iptables and setpriv
/// (<see cref="NetnsFactAttribute"/>).
/// </summary>
public sealed class TransparentProxyNetnsTests
{
    private static readonly byte[] OpaqueBytes = [0x16, 0x03, 0x01, 0x00, 0x05, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o'];

    [NetnsFact]
    public async Task Redirect_DefaultRules_CapturesAppTrafficButNotTheProxyOrAdmin()
    {
        await using var ns = await NetworkNamespace.CreateAsync();
        await using var backend = await RecordingBackend.StartAsync(ns.HostAddress);
        var script = await CommandRunner.RunAsync(NetworkNamespace.Tool("ip"), "netns", "exec", ns.Name, "bash", RepositoryPaths.IptablesScript());
        Assert.True(script.ExitCode == 0, "acgs-iptables.sh failed: " + script.Stderr + script.Stdout);
        await using var sidecar = await PodSidecar.StartAsync(ns, new IPEndPoint(ns.HostAddress, backend.Port));
        using var pod = ns.CreateClient();
        using var outside = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        var backendUri = new Uri($"http://{ns.HostAddress}:{backend.Port}/");

        // 1. The app (any uid but 1337) calls the backend's address directly, with a host no route knows
        //    and no hash: iptables sends it to 15001, the sidecar stamps the hash and passes it through
        //    to the original destination; the sidecar's own connection (uid 1337) is not redirected again.
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(backendUri, "/out")))
        {
            request.Headers.Host = "unknown.example";
            using var response = await pod.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}\n{sidecar.Output}");
            Assert.Equal(RecordingBackend.Marker + "/out", body);
            Assert.Equal(AcgsConstants.ConstitutionalHash, Seen(response, "X-Seen-Hash")); // stamped: it went through the sidecar
            Assert.Equal("unknown.example", Seen(response, "X-Seen-Host"));
            Assert.Equal(ns.PodAddress.ToString(), Seen(response, "X-Seen-Remote"));
        }

        Assert.Equal(1, backend.Requests);

        // 2. Passthrough enforces the hash like every outbound request: a wrong one never reaches the backend.
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(backendUri, "/wrong")))
        {
            request.Headers.TryAddWithoutValidation(AcgsConstants.HashHeaderName, new string('0', AcgsConstants.ConstitutionalHash.Length));
            using var response = await pod.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.Equal(1, backend.Requests);

        // 2b. HTTP/2 with prior knowledge (h2c) on a redirected connection: the feature reaches every stream.
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(backendUri, "/h2")) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact })
        {
            using var response = await pod.SendAsync(request);
            Assert.Equal(HttpVersion.Version20, response.Version);
            Assert.Equal(RecordingBackend.Marker + "/h2", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(2, backend.Requests);

        // 2c. The app's connect succeeds (the sidecar accepts it), the sidecar's upstream connect fails: 502.
        using (var response = await pod.GetAsync(new Uri($"http://{ns.HostAddress}:{ClosedPort(ns.HostAddress)}/closed")))
        {
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        }

        // 2d. Not HTTP (a TLS-like first byte) and ACGS_OUTBOUND_TCP_PASSTHROUGH off: closed, nothing reaches the upstream.
        using (var echo = new TcpEchoServer(ns.HostAddress))
        {
            Assert.Null(await ns.TryEchoAsync(new IPEndPoint(ns.HostAddress, echo.Port), OpaqueBytes));
            Assert.Equal(0, echo.Connections);
        }

        // 3. A connection made to the outbound listener itself is not redirected: unknown hosts get 404 as before.
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{PodSidecar.OutboundPort}/direct")))
        {
            request.Headers.Host = "unknown.example";
            using var response = await pod.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("urn:acgs:no-route", body, StringComparison.Ordinal);
            Assert.DoesNotContain("original_destination", body, StringComparison.Ordinal);
        }

        // 4. Inbound: a call from outside to any pod port (nothing listens on 9000) is redirected to 15006
        //    and reaches the app.
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{ns.PodAddress}:9000/in")))
        {
            request.Headers.TryAddWithoutValidation(AcgsConstants.HashHeaderName, AcgsConstants.ConstitutionalHash);
            using var response = await outside.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}\n{sidecar.Output}");
            Assert.Equal(RecordingBackend.Marker + "/in", body);
            Assert.Equal(ns.PodAddress.ToString(), Seen(response, "X-Seen-Remote"));
        }

        Assert.Equal(3, backend.Requests);

        // 5. The admin port is excluded: it answers itself, not the app.
        using (var response = await outside.GetAsync(new Uri($"http://{ns.PodAddress}:{PodSidecar.AdminPort}/health/live")))
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain(RecordingBackend.Marker, body, StringComparison.Ordinal);
        }

        Assert.Equal(3, backend.Requests);

        // 6. The sidecar's metrics: exactly two passthrough requests (no loop), one 502, one 403, one inbound request.
        var metrics = await MetricsAsync(
            outside,
            new Uri($"http://{ns.PodAddress}:{PodSidecar.AdminPort}/metrics"),
            t => Count(t, "outbound", PassthroughForwarder.ClusterId, "200") == 2 && Count(t, "outbound", PassthroughForwarder.ClusterId, "502") == 1
                && Count(t, "outbound", "none", "403") == 1 && Count(t, "outbound", "none", "404") == 1 && Count(t, "inbound", "inbound|tp-test", "200") == 1);
        Assert.Equal(2, Count(metrics, "outbound", PassthroughForwarder.ClusterId, "200"));
        Assert.Equal(1, Count(metrics, "outbound", PassthroughForwarder.ClusterId, "502"));
        Assert.Equal(1, Count(metrics, "outbound", "none", "403"));
        Assert.Equal(1, Count(metrics, "outbound", "none", "404"));
        Assert.Equal(1, Count(metrics, "inbound", "inbound|tp-test", "200"));
        Assert.Contains("acgs_outbound_opaque_connections_total{result=\"refused\"} 1", metrics, StringComparison.Ordinal);
    }

    [NetnsFact]
    public async Task Redirect_PassthroughOff_UnknownDestinationGets404NamingIt()
    {
        await using var ns = await NetworkNamespace.CreateAsync();
        await using var backend = await RecordingBackend.StartAsync(ns.HostAddress);
        var script = await CommandRunner.RunAsync(NetworkNamespace.Tool("ip"), "netns", "exec", ns.Name, "bash", RepositoryPaths.IptablesScript());
        Assert.True(script.ExitCode == 0, "acgs-iptables.sh failed: " + script.Stderr + script.Stdout);
        await using var sidecar = await PodSidecar.StartAsync(
            ns,
            new IPEndPoint(ns.HostAddress, backend.Port),
            new Dictionary<string, string> { [TransparentOptions.PassthroughVariable] = "0" });
        using var pod = ns.CreateClient();

        using var response = await pod.GetAsync(new Uri($"http://{ns.HostAddress}:{backend.Port}/out"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{(int)response.StatusCode} {body}\n{sidecar.Output}");
        Assert.Contains("urn:acgs:no-route", body, StringComparison.Ordinal);
        Assert.Contains($"\"original_destination\":\"{ns.HostAddress}:{backend.Port}\"", body, StringComparison.Ordinal);
        Assert.Equal(0, backend.Requests);
    }

    [NetnsFact]
    public async Task Redirect_Ipv6Rules_OutboundPassthroughAndInboundOverIpv6()
    {
        await using var ns = await NetworkNamespace.CreateAsync();
        await using var app = await RecordingBackend.StartAsync(ns.HostAddress);
        await using var backend6 = await RecordingBackend.StartAsync(ns.HostAddress6);
        var script = await CommandRunner.RunAsync(NetworkNamespace.Tool("ip"), "netns", "exec", ns.Name, "bash", RepositoryPaths.IptablesScript(), "--ipv6");
        Assert.True(script.ExitCode == 0, "acgs-iptables.sh --ipv6 failed: " + script.Stderr + script.Stdout);
        await using var sidecar = await PodSidecar.StartAsync(
            ns,
            new IPEndPoint(ns.HostAddress, app.Port),
            new Dictionary<string, string>
            {
                ["ACGS_INBOUND_ADDRESS"] = "::",
                ["ACGS_OUTBOUND_ADDRESS"] = "::",
                ["ACGS_ADMIN_ADDRESS"] = "::",
                [TransparentOptions.TcpPassthroughVariable] = "1",
            });
        using var pod = ns.CreateClient();
        using var outside = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };

        // Outbound over IPv6: ip6tables sends it to [::1]:15001, the sidecar reads SOL_IPV6/80 (sockaddr_in6).
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://[{ns.HostAddress6}]:{backend6.Port}/out6")))
        {
            request.Headers.Host = "unknown6.example";
            using var response = await pod.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}\n{sidecar.Output}");
            Assert.Equal(RecordingBackend.Marker + "/out6", body);
            Assert.Equal(AcgsConstants.ConstitutionalHash, Seen(response, "X-Seen-Hash"));
            Assert.Equal(ns.PodAddress6.ToString(), Seen(response, "X-Seen-Remote"));
        }

        // IPv4 still works on the dual-stack listeners (SOL_IP for IPv4-mapped connections).
        using (var response = await pod.GetAsync(new Uri($"http://{ns.HostAddress}:{app.Port}/out4")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(RecordingBackend.Marker + "/out4", await response.Content.ReadAsStringAsync());
        }

        // Inbound over IPv6 to any pod port → 15006 → the app.
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://[{ns.PodAddress6}]:9000/in6")))
        {
            request.Headers.TryAddWithoutValidation(AcgsConstants.HashHeaderName, AcgsConstants.ConstitutionalHash);
            using var response = await outside.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}\n{sidecar.Output}");
            Assert.Equal(RecordingBackend.Marker + "/in6", body);
        }

        // Not HTTP, with ACGS_OUTBOUND_TCP_PASSTHROUGH=1: tunnelled byte for byte, both families.
        using (var echo4 = new TcpEchoServer(ns.HostAddress))
        using (var echo6 = new TcpEchoServer(ns.HostAddress6))
        {
            Assert.Equal(OpaqueBytes, await ns.TryEchoAsync(new IPEndPoint(ns.HostAddress, echo4.Port), OpaqueBytes));
            Assert.Equal(OpaqueBytes, await ns.TryEchoAsync(new IPEndPoint(ns.HostAddress6, echo6.Port), OpaqueBytes));
            Assert.Equal(1, echo4.Connections);
            Assert.Equal(1, echo6.Connections);
        }

        Assert.Equal(1, backend6.Requests);
        Assert.Equal(2, app.Requests);
        var metrics = await MetricsAsync(
            outside,
            new Uri($"http://[{ns.PodAddress6}]:{PodSidecar.AdminPort}/metrics"),
            t => Count(t, "outbound", PassthroughForwarder.ClusterId, "200") == 2);
        Assert.Equal(2, Count(metrics, "outbound", PassthroughForwarder.ClusterId, "200"));
        Assert.Contains("acgs_outbound_opaque_connections_total{result=\"tunnelled\"} 2", metrics, StringComparison.Ordinal);
    }

    [NetnsFact]
    public async Task Redirect_RouteToOwnPod_SidecarsCallGoesThroughItsInboundSide()
    {
        await using var ns = await NetworkNamespace.CreateAsync();
        await using var app = await RecordingBackend.StartAsync(ns.HostAddress);
        var script = await CommandRunner.RunAsync(NetworkNamespace.Tool("ip"), "netns", "exec", ns.Name, "bash", RepositoryPaths.IptablesScript());
        Assert.True(script.ExitCode == 0, "acgs-iptables.sh failed: " + script.Stderr + script.Stdout);

        // An outbound route whose destination is this very pod (a service VIP resolving to itself): the
        // sidecar (uid 1337) connects to the pod IP through lo, and iptables sends that to 15006 (at
        // 127.0.0.1, so the inbound listener must listen on all addresses), which forwards to the app.
        var config = Path.Combine(Path.GetTempPath(), "acgs-tp-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "constitutional_hash": "{{AcgsConstants.ConstitutionalHash}}",
              "version": "self-1",
              "service_name": "tp-test",
              "clusters": { "self": { "destinations": ["{{ns.PodAddress}}:9000"] } },
              "routes": [ { "host": "self.example", "cluster": "self" } ]
            }
            """);
        try
        {
            await using var sidecar = await PodSidecar.StartAsync(
                ns,
                new IPEndPoint(ns.HostAddress, app.Port),
                new Dictionary<string, string> { ["ACGS_CONFIG"] = config });
            using var pod = ns.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{ns.HostAddress}:{app.Port}/self"));
            request.Headers.Host = "self.example";

            using var response = await pod.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}\n{sidecar.Output}");
            Assert.Equal(RecordingBackend.Marker + "/self", body);
            Assert.Equal(1, app.Requests);
            using var outside = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
            var metrics = await MetricsAsync(
                outside,
                new Uri($"http://{ns.PodAddress}:{PodSidecar.AdminPort}/metrics"),
                t => Count(t, "outbound", "self", "200") == 1 && Count(t, "inbound", "inbound|tp-test", "200") == 1);
            Assert.Equal(1, Count(metrics, "outbound", "self", "200"));
            Assert.Equal(1, Count(metrics, "inbound", "inbound|tp-test", "200"));
            Assert.Equal(0, Count(metrics, "outbound", PassthroughForwarder.ClusterId, "200"));
        }
        finally
        {
            File.Delete(config);
        }
    }

    private static int ClosedPort(IPAddress address)
    {
        var port = FreePort.Get(); // reserved and outside the ephemeral range: nothing else takes it meanwhile
        using var probe = new System.Net.Sockets.Socket(address.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(address, port)); // throws when something listens on it at this address
        return port;
    }

    private static string Seen(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values) ? string.Join(",", values) : "<missing>";

    // Requests are counted when their response completes (a completion callback), which may be just after the client has
    // read the response: reads the sidecar's metrics until the expected counts are there (the last read when they never are).
    private static Task<string> MetricsAsync(HttpClient client, Uri metrics, Func<string, bool> counted) =>
        Eventually.ValueAsync(() => client.GetStringAsync(metrics), counted);

    private static int Count(string metrics, string listener, string cluster, string code)
    {
        var pattern = $"acgs_requests_total{{listener=\"{listener}\",cluster=\"{Regex.Escape(cluster)}\",code=\"{code}\"}} (\\d+)";
        var match = Regex.Match(metrics, pattern);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }
}
