// Constitutional Hash: cdd01ef066bc6cf2

using Prometheus;

namespace Acgs.Sidecar.Bus;

/// <summary>Metrics of the bus's limits: refused and closed connections, open connections, held bytes.</summary>
internal sealed partial class BusMetrics
{
    /// <summary>Reason label: the listener was at <see cref="BusOptions.MaxConnections"/>.</summary>
    public const string ConnectionLimitReason = "connection_limit";

    /// <summary>Reason label: a plaintext connection asked for the peer-link role.</summary>
    public const string PeerUnauthenticatedReason = "peer_unauthenticated";

    /// <summary>Reason label: no register within <see cref="BusOptions.RegisterTimeout"/> (or no first byte / TLS handshake).</summary>
    public const string RegisterTimeoutReason = "register_timeout";

    /// <summary>Reason label: a frame not completed within <see cref="BusOptions.FrameTimeout"/>.</summary>
    public const string FrameTimeoutReason = "frame_timeout";

    /// <summary>Reason label: nothing received within <see cref="BusOptions.IdleTimeout"/>.</summary>
    public const string IdleTimeoutReason = "idle_timeout";

    /// <summary>Reason label: the TLS handshake of a would-be peer link failed (its certificate was refused).</summary>
    public const string TlsRefusedReason = "tls_refused";

    private CollectorRegistry _registry = null!;
    private Counter _refused = null!;
    private Gauge _connections = null!;
    private Gauge _heldBytes = null!;
    private Counter.Child _refusedLimit = null!;
    private Counter.Child _refusedPeer = null!;
    private Counter.Child _refusedRegister = null!;
    private Counter.Child _refusedFrame = null!;
    private Counter.Child _refusedIdle = null!;
    private Counter.Child _refusedTls = null!;

    /// <summary><c>acgs_bus_connections_closed_total{reason}</c>: connections refused or closed by a limit.</summary>
    public Counter ConnectionsRefused => _refused;

    /// <summary>Counts a connection refused or closed for <paramref name="reason"/> (one of the reason constants).</summary>
    public void ConnectionRefused(string reason) => (reason switch
    {
        ConnectionLimitReason => _refusedLimit,
        PeerUnauthenticatedReason => _refusedPeer,
        RegisterTimeoutReason => _refusedRegister,
        FrameTimeoutReason => _refusedFrame,
        IdleTimeoutReason => _refusedIdle,
        _ => _refusedTls,
    }).Inc();

    /// <summary>A connection was accepted on the framed listener.</summary>
    public void ConnectionOpened() => _connections.Inc();

    /// <summary>A connection on the framed listener closed.</summary>
    public void ConnectionClosed() => _connections.Dec();

    /// <summary>Reads <c>acgs_bus_queue_bytes</c> from <paramref name="heldBytes"/> when metrics are collected (no per-message gauge write).</summary>
    public void ObserveHeldBytes(Func<long> heldBytes) => _registry.AddBeforeCollectCallback(() => _heldBytes.Set(heldBytes()));

    private void CreateLimitMetrics(CollectorRegistry registry, IMetricFactory factory)
    {
        _registry = registry;
        _refused = factory.CreateCounter(
            "acgs_bus_connections_closed_total",
            "Bus connections refused or closed by a limit: connection_limit, peer_unauthenticated, register_timeout, frame_timeout, idle_timeout, tls_refused.",
            new CounterConfiguration { LabelNames = ["reason"] });
        _connections = factory.CreateGauge("acgs_bus_connections", "Open connections on the bus's framed listener (agents and incoming peer links).");
        _heldBytes = factory.CreateGauge("acgs_bus_queue_bytes", "Bytes of messages held by bus connections (queued or written and not yet acknowledged).");
        _refusedLimit = _refused.WithLabels(ConnectionLimitReason);
        _refusedPeer = _refused.WithLabels(PeerUnauthenticatedReason);
        _refusedRegister = _refused.WithLabels(RegisterTimeoutReason);
        _refusedFrame = _refused.WithLabels(FrameTimeoutReason);
        _refusedIdle = _refused.WithLabels(IdleTimeoutReason);
        _refusedTls = _refused.WithLabels(TlsRefusedReason);
    }
}
