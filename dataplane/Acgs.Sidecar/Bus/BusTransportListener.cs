// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Acgs.Sidecar.Bus;

/// <summary>The bus port's listening socket; accepted sockets become Kestrel socket connections (<see cref="BusTransportFactory"/>).</summary>
internal sealed class BusTransportListener(Socket socket, SocketConnectionContextFactory contexts) : IConnectionListener
{
    /// <inheritdoc />
    public EndPoint EndPoint { get; } = socket.LocalEndPoint!;

    /// <inheritdoc />
    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            try
            {
                var accepted = await socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
                accepted.NoDelay = true;
                return contexts.Create(accepted);
            }
            catch (ObjectDisposedException)
            {
                // Unbound.
                return null;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.OperationAborted)
            {
                // Unbound.
                return null;
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
