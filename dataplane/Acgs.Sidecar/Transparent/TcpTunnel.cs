// Constitutional Hash: cdd01ef066bc6cf2

using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Acgs.Sidecar.Transparent;

/// <summary>
/// Splices a redirected outbound connection that does not speak HTTP to its original destination, byte
/// for byte, both ways (<c>ACGS_OUTBOUND_TCP_PASSTHROUGH=1</c>). The sidecar sees no requests, so
/// nothing is hash-checked: it is off by default. When the client finishes sending, its FIN is passed
/// on and the upstream's answer still flows back until the upstream closes (half-close); when the
/// upstream closes first, or either side fails, both directions stop. Kestrel's shutdown
/// (<see cref="IConnectionLifetimeNotificationFeature.ConnectionClosedRequested"/>) stops it too.
/// Kestrel signals the client's FIN as <c>ConnectionClosed</c>, so that token is not used.
/// </summary>
internal static class TcpTunnel
{
    /// <summary>Connects to <paramref name="destination"/>'s original destination and copies until both sides are done; counts it in <paramref name="metrics"/>.</summary>
    public static async Task RunAsync(ConnectionContext connection, OriginalDestinationFeature destination, TransparentMetrics? metrics)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(destination);
        var closeRequested = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? CancellationToken.None;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(closeRequested);
        using var upstream = new Socket(destination.OriginalDestination.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await upstream.ConnectAsync(destination.OriginalDestination, stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            metrics?.Failed.Inc();
            connection.Abort(new ConnectionAbortedException("the original destination is unreachable", e));
            return;
        }

        metrics?.Tunnelled.Inc();
        var stream = new NetworkStream(upstream, ownsSocket: false);
        await using (stream.ConfigureAwait(false))
        {
            var up = UpAsync(connection.Transport.Input, stream, upstream, stop.Token);
            var down = DownAsync(stream, connection.Transport.Output, stop.Token);
            var first = await Task.WhenAny(up, down).ConfigureAwait(false);
            if (first != up || !up.IsCompletedSuccessfully)
            {
                await stop.CancelAsync().ConfigureAwait(false); // the upstream closed, or a side failed: stop the other direction
            }

            var failed = !await Completed(up).ConfigureAwait(false) | !await Completed(down).ConfigureAwait(false);
            if (failed)
            {
                connection.Abort(new ConnectionAbortedException("the tunnel ended abnormally"));
            }
        }
    }

    private static async Task<bool> Completed(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ConnectionResetException or ConnectionAbortedException or ObjectDisposedException)
        {
            return false;
        }
    }

    private static async Task UpAsync(PipeReader client, NetworkStream upstream, Socket socket, CancellationToken cancel)
    {
        await client.CopyToAsync(upstream, cancel).ConfigureAwait(false);
        socket.Shutdown(SocketShutdown.Send); // the client finished sending: pass the FIN on
    }

    private static async Task DownAsync(NetworkStream upstream, PipeWriter client, CancellationToken cancel)
    {
        await upstream.CopyToAsync(client, cancel).ConfigureAwait(false);
        await client.CompleteAsync().ConfigureAwait(false); // the upstream finished: end the client's stream
    }
}
