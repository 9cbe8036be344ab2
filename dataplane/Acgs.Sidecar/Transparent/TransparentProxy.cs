// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Sockets;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Telemetry;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Yarp.ReverseProxy.Forwarder;

namespace Acgs.Sidecar.Transparent;

/// <summary>
/// The sidecar's transparent-proxy state, one per host: which listeners read <c>SO_ORIGINAL_DST</c>,
/// the outbound <see cref="PassthroughForwarder"/> (built on the first redirected connection from the
/// application's services), and whether the kernel answers the option at all (after
/// <c>ENOPROTOOPT</c>, i.e. no conntrack, it is not asked again). Wired by
/// <see cref="KestrelListeners"/> as a connection middleware of the inbound and outbound listeners.
/// </summary>
internal sealed class TransparentProxy
{
    private readonly TransparentOptions _options;
    private readonly Func<IServiceProvider?> _services;
    private readonly Lock _lock = new();
    private PassthroughForwarder? _passthrough;
    private ILogger? _logger;
    private TransparentMetrics? _metrics;
    private volatile bool _unavailable;
    private int _redirects;
    private int _refusals;

    /// <summary>Creates the state; <paramref name="services"/> gives the application's services once built.</summary>
    public TransparentProxy(TransparentOptions options, Func<IServiceProvider?> services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        _options = options;
        _services = services;
    }

    /// <summary>The settings.</summary>
    public TransparentOptions Options => _options;

    /// <summary>
    /// The connection middleware for <paramref name="listener"/> (for <c>ListenOptions.Use</c>); a sniffed connection's
    /// first bytes must arrive within <paramref name="firstBytesTimeout"/>.
    /// </summary>
    public Func<ConnectionDelegate, ConnectionDelegate> Middleware(ListenerKind listener, TimeSpan firstBytesTimeout) =>
        next => new OriginalDestinationMiddleware(this, listener, next, firstBytesTimeout).InvokeAsync;

    /// <summary>
    /// Reads the original destination of <paramref name="connection"/> (accepted on
    /// <paramref name="listener"/>): the feature when iptables redirected it, else null.
    /// </summary>
    public OriginalDestinationFeature? Inspect(ConnectionContext connection, ListenerKind listener)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!_options.ReadOriginalDestination || _unavailable
            || connection.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket
            || socket.LocalEndPoint is not IPEndPoint local)
        {
            return null;
        }

        if (!OriginalDestination.TryRead(socket, out var original, out var error))
        {
            if (error is SocketError.ProtocolOption or SocketError.OperationNotSupported or SocketError.ProtocolNotSupported)
            {
                _unavailable = true;
                TransparentLog.OriginalDstUnavailable(Logger(), error);
            }

            return null;
        }

        if (original is null || !OriginalDestination.IsRedirected(original, local))
        {
            return null;
        }

        var passthrough = listener == ListenerKind.Outbound && _options.OutboundPassthrough ? Passthrough() : null;
        var feature = new OriginalDestinationFeature(original, listener, passthrough);
        if (Interlocked.Increment(ref _redirects) == 1)
        {
            TransparentLog.FirstRedirect(Logger(), TelemetryRegistry.Label(listener), feature.Authority, _options.OutboundPassthrough ? "on" : "off");
        }

        return feature;
    }

    /// <summary>
    /// True when a redirected outbound connection's first bytes must be checked (passthrough on): HTTP
    /// goes on to Kestrel, anything else is tunnelled or refused by <see cref="HandleOpaqueAsync"/>.
    /// </summary>
    public bool SniffsOutbound => _options.OutboundPassthrough;

    /// <summary>Tunnels (<c>ACGS_OUTBOUND_TCP_PASSTHROUGH=1</c>) or refuses a redirected outbound connection that is not HTTP.</summary>
    public Task HandleOpaqueAsync(ConnectionContext connection, OriginalDestinationFeature destination)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(destination);
        if (_options.OutboundTcpPassthrough)
        {
            return TcpTunnel.RunAsync(connection, destination, Metrics());
        }

        Metrics()?.Refused.Inc();
        if (Interlocked.Increment(ref _refusals) == 1)
        {
            TransparentLog.OpaqueRefused(Logger(), destination.Authority);
        }

        connection.Abort(new ConnectionAbortedException("not HTTP, and ACGS_OUTBOUND_TCP_PASSTHROUGH is off"));
        return Task.CompletedTask;
    }

    private PassthroughForwarder? Passthrough()
    {
        if (Volatile.Read(ref _passthrough) is { } existing)
        {
            return existing;
        }

        lock (_lock)
        {
            if (_passthrough is null && _services() is { } services)
            {
                _passthrough = new PassthroughForwarder(
                    services.GetRequiredService<IHttpForwarder>(),
                    services.GetRequiredService<IForwarderHttpClientFactory>(),
                    services.GetRequiredService<TelemetryRegistry>());
            }

            return _passthrough;
        }
    }

    private TransparentMetrics? Metrics() =>
        _metrics ??= _services()?.GetService<TransparentMetrics>();

    private ILogger Logger()
    {
        if (_logger is { } logger)
        {
            return logger;
        }

        logger = _services()?.GetService<ILoggerFactory>()?.CreateLogger("Acgs.Sidecar.Transparent") ?? NullLogger.Instance;
        _logger = logger;
        return logger;
    }
}
