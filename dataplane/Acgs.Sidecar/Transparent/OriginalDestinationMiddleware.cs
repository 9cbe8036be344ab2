// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Hosting;
using Microsoft.AspNetCore.Connections;

namespace Acgs.Sidecar.Transparent;

/// <summary>
/// Connection middleware of the inbound and outbound listeners: when the accepted connection was
/// redirected by iptables, sets its <see cref="OriginalDestinationFeature"/> before any request is
/// read. One <c>getsockopt</c> per connection, never per request; connections made to the listener
/// itself get no feature and cost nothing else.
/// </summary>
internal sealed class OriginalDestinationMiddleware
{
    private readonly TransparentProxy _proxy;
    private readonly ListenerKind _listener;
    private readonly ConnectionDelegate _next;

    /// <summary>Creates the middleware of <paramref name="listener"/>.</summary>
    public OriginalDestinationMiddleware(TransparentProxy proxy, ListenerKind listener, ConnectionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        ArgumentNullException.ThrowIfNull(next);
        _proxy = proxy;
        _listener = listener;
        _next = next;
    }

    /// <summary>Handles one accepted connection.</summary>
    public Task InvokeAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (_proxy.Inspect(connection, _listener) is { } feature)
        {
            connection.Features.Set(feature);
        }

        return _next(connection);
    }
}
