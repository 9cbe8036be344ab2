// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// The accept loop of every listening socket of the sidecar: the HTTP listeners (<see cref="HttpTransportFactory"/>) and
/// the bus port (<c>Bus/BusTransportFactory</c>). A connection reset before it was accepted is
/// skipped; out of descriptors or buffers (<c>EMFILE</c>, <c>ENFILE</c>, <c>ENOBUFS</c>) the loop waits — 10 ms,
/// doubling to 1 s, reset by the next success — counts and logs it (<see cref="ClientFaultLog"/>, cause
/// <c>descriptors_exhausted</c>) and tries again: the pending connections wait in the backlog, the open ones are
/// served, and nothing stops the host.
/// </summary>
internal sealed class AcceptLoopListener(Socket socket, SocketConnectionContextFactory contexts, bool noDelay, ClientFaultLog? faults, TimeProvider time) : IConnectionListener
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public EndPoint EndPoint { get; } = socket.LocalEndPoint!;

    /// <inheritdoc />
    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        var backoff = FirstBackoff;
        while (true)
        {
            try
            {
                var accepted = await socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
                if (accepted.LocalEndPoint is IPEndPoint)
                {
                    accepted.NoDelay = noDelay;
                }

                return contexts.Create(accepted);
            }
            catch (ObjectDisposedException)
            {
                return null; // unbound
            }
            catch (OperationCanceledException)
            {
                return null; // unbound
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.OperationAborted)
            {
                return null; // unbound
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
            {
                faults?.Record("descriptors_exhausted", "accept failed (" + ex.SocketErrorCode.ToString() + "); new connections wait in the backlog while the open ones are served");
                try
                {
                    await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }

                backoff = backoff < MaxBackoff ? backoff * 2 : MaxBackoff;
            }
            catch (SocketException)
            {
                // The connection was reset before it was accepted: accept the next one.
            }
        }
    }

    /// <inheritdoc />
    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        socket.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        contexts.Dispose();
        return ValueTask.CompletedTask;
    }
}
