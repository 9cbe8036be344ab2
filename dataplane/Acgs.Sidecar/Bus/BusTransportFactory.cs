// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// Kestrel's socket transport for the bus port only (<see cref="BusListenEndPoint"/>), with inline scheduling:
/// a read completes on the socket engine's thread and the connection handler parses and routes it there,
/// and a flush writes to the socket on the thread that flushes — no thread-pool hop on receive and no
/// I/O-queue hop on send. Kestrel's <c>UnsafePreferInlineScheduling</c> for the whole server stays off (it
/// costs the HTTP paths); the bus is written for it: it never blocks, and each read batch's frames for a
/// connection go out in one flush (<see cref="BusWriteBatch"/>).
/// </summary>
/// <remarks>The accept loop is the HTTP listeners' (<see cref="Hosting.AcceptLoopListener"/>): out of descriptors it backs off instead of spinning.</remarks>
internal sealed class BusTransportFactory(ILoggerFactory loggerFactory, IServiceProvider services, TimeProvider time) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    /// <inheritdoc />
    public bool CanBind(EndPoint endpoint) => endpoint is BusListenEndPoint;

    /// <inheritdoc />
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not BusListenEndPoint bus)
        {
            throw new NotSupportedException($"{endpoint} is not the bus endpoint");
        }

        var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(bus.Address);
        try
        {
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var contexts = new SocketConnectionContextFactory(
            new SocketConnectionFactoryOptions { UnsafePreferInlineScheduling = true },
            loggerFactory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets"));
        return ValueTask.FromResult<IConnectionListener>(new Hosting.AcceptLoopListener(socket, contexts, noDelay: true, services.GetService<Hosting.ClientFaultLog>(), time));
    }
}
