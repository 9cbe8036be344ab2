// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// The connection limit of one listener, as its first connection middleware: past <see cref="Max"/> open connections
/// a new one is closed at once (its descriptor freed), counted in <c>acgs_connections_rejected_total{listener}</c>
/// and logged through <see cref="ClientFaultLog"/>; the open ones keep being served. Per connection, never per request.
/// </summary>
internal sealed class ConnectionGuard
{
    private readonly ListenerKind _kind;
    private readonly Func<IServiceProvider> _services;
    private readonly string _cause;
    private readonly string _detail;
    private ConnectionMetrics? _metrics;
    private ClientFaultLog? _log;
    private int _open;

    /// <summary>Creates the guard; <paramref name="services"/> gives the application's services once built.</summary>
    public ConnectionGuard(ListenerKind kind, int max, Func<IServiceProvider> services)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        _kind = kind;
        Max = max;
        _services = services;
        _cause = "connection_limit_" + ListenerName(kind);
        _detail = $"the {ListenerName(kind)} listener is at its limit of {max} connections; new connections are closed at once";
    }

    /// <summary>The most connections open at once.</summary>
    public int Max { get; }

    /// <summary>Connections open now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>The middleware (for <c>ListenOptions.Use</c>, first).</summary>
    public ConnectionDelegate Middleware(ConnectionDelegate next) => connection => InvokeAsync(connection, next);

    private async Task InvokeAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        _metrics ??= _services().GetRequiredService<ConnectionMetrics>();
        if (Interlocked.Increment(ref _open) > Max)
        {
            Interlocked.Decrement(ref _open);
            _metrics.Rejected(_kind).Inc();
            (_log ??= _services().GetRequiredService<ClientFaultLog>()).Record(_cause, _detail);
            connection.Abort();
            return;
        }

        var active = _metrics.Active(_kind);
        active.Inc();
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            active.Dec();
            Interlocked.Decrement(ref _open);
        }
    }

    private static string ListenerName(ListenerKind kind) => kind switch
    {
        ListenerKind.Inbound => "inbound",
        ListenerKind.Outbound => "outbound",
        _ => "admin",
    };
}
