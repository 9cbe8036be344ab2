// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Sockets;
using System.Text;
using Acgs.Core.Settings;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Tests.Fixtures;

namespace Acgs.Sidecar.Tests.Hosting;

/// <summary>
/// The sidecar closes a pooled upstream connection after <c>ACGS_UPSTREAM_IDLE_TIMEOUT_SECONDS</c> — before the
/// upstream's own keep-alive timeout, so the upstream never closes a connection the sidecar is reusing (the soak's
/// 502s with both at 60 s). The upstream is a raw HTTP/1.1 keep-alive server that reports when the sidecar hangs up.
/// </summary>
public sealed class UpstreamIdleTimeoutTests
{
    [Fact]
    public async Task PooledConnection_IdleLongerThanUpstreamIdleTimeout_ClosedBySidecar()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var hungUp = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var upstream = ServeAsync(listener, hungUp, stop.Token);
        await using var sidecar = await SidecarTestHost.StartAsync(new SidecarBootstrap(SidecarTestHost.Options(port), SidecarTestHost.Snapshot(), ConfigSources.Bootstrap, HashOverrides.None)
        {
            Limits = new ListenerLimits { UpstreamIdleTimeout = TimeSpan.FromSeconds(1) },
        });

        using var response = await sidecar.GetInboundAsync("/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The default pool keeps an idle connection a minute; with 1 s the sidecar's pool closes it within seconds.
        var idleFor = await hungUp.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(idleFor >= TimeSpan.FromSeconds(0.9), $"closed after {idleFor.TotalSeconds:0.00} s, before the idle timeout");
        await stop.CancelAsync();
        listener.Stop();
        await upstream;
    }

    [Fact]
    public void Read_UpstreamIdleTimeout_DefaultBelowPeerIdleTimeoutAndOutOfRangeIsAProblem()
    {
        var defaults = ListenerLimits.Read(new SettingsReader(static _ => null), softLimit: null);
        var settings = new SettingsReader(static name => name == "ACGS_UPSTREAM_IDLE_TIMEOUT_SECONDS" ? "0" : null);

        ListenerLimits.Read(settings, softLimit: null);

        Assert.True(defaults.UpstreamIdleTimeout < defaults.IdleTimeout);
        Assert.Single(settings.Problems);
        Assert.Contains("ACGS_UPSTREAM_IDLE_TIMEOUT_SECONDS", settings.Problems[0], StringComparison.Ordinal);
    }

    /// <summary>Accepts connections until stopped (the sidecar's reachability probe connects too); on each, answers
    /// every request with keep-alive; completes <paramref name="hungUp"/> with the time from a connection's last
    /// response to the client's close, for the first connection that carried a request.</summary>
    private static async Task ServeAsync(TcpListener listener, TaskCompletionSource<TimeSpan> hungUp, CancellationToken stop)
    {
        var connections = new List<Task>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stop);
                connections.Add(ServeConnectionAsync(client, hungUp));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }

        await Task.WhenAll(connections);
    }

    private static async Task ServeConnectionAsync(TcpClient client, TaskCompletionSource<TimeSpan> hungUp)
    {
        using var owned = client;
        var stream = client.GetStream();
        var buffer = new byte[8192];
        var received = new StringBuilder();
        var lastResponse = System.Diagnostics.Stopwatch.StartNew();
        var served = false;
        try
        {
            while (true)
            {
                var n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
                if (n == 0)
                {
                    if (served)
                    {
                        hungUp.TrySetResult(lastResponse.Elapsed);
                    }

                    return;
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, n));
                while (received.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal) is var end and >= 0)
                {
                    received.Remove(0, end + 4);
                    await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nKeep-Alive: timeout=300\r\n\r\nok"u8.ToArray());
                    lastResponse.Restart();
                    served = true;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or ObjectDisposedException)
        {
            // reset by the peer, or silent for 30 s: the test's wait decides
        }
    }
}
