// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Sidecar.Bus;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// Kestrel's socket transport for the HTTP listeners, with an accept loop of the sidecar's own
/// (<see cref="AcceptLoopListener"/>): Kestrel's retries a failed accept at once, so out of descriptors
/// (<c>EMFILE</c>) it spins on the socket engine's thread and starves every connection; this one backs off and
/// keeps serving. Sockets, scheduling and buffers are Kestrel's, configured by <see cref="SocketTransportTuning"/>.
/// </summary>
internal sealed class HttpTransportFactory(IOptions<SocketTransportOptions> options, ILoggerFactory loggerFactory, IServiceProvider services)
    : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    /// <inheritdoc />
    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint;

    /// <inheritdoc />
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var transport = options.Value;
        var socket = transport.CreateBoundListenSocket(endpoint);
        try
        {
            socket.Listen(transport.Backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var contexts = new SocketConnectionContextFactory(
            new SocketConnectionFactoryOptions
            {
                IOQueueCount = transport.IOQueueCount,
                UnsafePreferInlineScheduling = transport.UnsafePreferInlineScheduling,
                WaitForDataBeforeAllocatingBuffer = transport.WaitForDataBeforeAllocatingBuffer,
                MaxReadBufferSize = transport.MaxReadBufferSize,
                MaxWriteBufferSize = transport.MaxWriteBufferSize,
            },
            loggerFactory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets"));
        var faults = services.GetRequiredService<ClientFaultLog>();
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        return ValueTask.FromResult<IConnectionListener>(new AcceptLoopListener(socket, contexts, transport.NoDelay, faults, time));
    }

    /// <summary>Registers the factory for the HTTP listeners (the bus keeps its own, <see cref="BusTransportFactory"/>).</summary>
    public static void Register(IServiceCollection services) =>
        services.AddSingleton<IConnectionListenerFactory, HttpTransportFactory>();
}
