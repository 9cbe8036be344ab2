// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Telemetry;
using Prometheus;

namespace Acgs.Sidecar.Identity;

/// <summary>Identity and mTLS metrics, in the host's registry (admin <c>/metrics</c>).</summary>
internal sealed class IdentityMetrics
{
    /// <summary>Creates the collectors in <paramref name="metrics"/>' registry.</summary>
    public IdentityMetrics(SidecarMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        CertificateExpiry = metrics.Factory.CreateGauge(
            "acgs_identity_cert_expiry_seconds", "Unix time (seconds) at which this sidecar's current workload certificate expires; 0 before the first.");
        Requests = metrics.Factory.CreateCounter(
            "acgs_identity_certificate_requests_total", "Certificate requests to the control plane, by result (issued, refused, failed).",
            new CounterConfiguration { LabelNames = ["result"] });
        Rejections = metrics.Factory.CreateCounter(
            "acgs_mtls_rejections_total", "Peers refused by mutual TLS, by reason.", new CounterConfiguration { LabelNames = ["reason"] });
        foreach (var reason in PeerCertificateValidator.Reasons)
        {
            Rejections.WithLabels(reason);
        }

        Handshakes = metrics.Factory.CreateCounter(
            "acgs_mtls_handshakes_total", "Completed mutual TLS handshakes with sidecar peers (new TLS connections), by direction (inbound, outbound).",
            new CounterConfiguration { LabelNames = ["direction"] });
        InboundHandshakes = Handshakes.WithLabels("inbound");
        OutboundHandshakes = Handshakes.WithLabels("outbound");
        PoolWaits = metrics.Factory.CreateCounter(
            "acgs_mtls_pool_waits_total", "HTTP/1.1 mTLS requests that found every warm connection to their destination busy and waited (ACGS_MTLS_OVERFLOW_AFTER_MS).");
        PoolOverflows = metrics.Factory.CreateCounter(
            "acgs_mtls_pool_overflows_total", "HTTP/1.1 mTLS requests sent over an overflow connection after waiting ACGS_MTLS_OVERFLOW_AFTER_MS for a warm one.");
        PoolOverflowFull = metrics.Factory.CreateCounter(
            "acgs_mtls_pool_overflow_full_total",
            "HTTP/1.1 mTLS requests that found the overflow pool full too (ACGS_MTLS_OVERFLOW_MAX_CONNECTIONS) and waited for a warm or overflow connection.");
        PoolOverflowThrottled = metrics.Factory.CreateCounter(
            "acgs_mtls_pool_overflow_throttled_total",
            "HTTP/1.1 mTLS requests that found every overflow connection busy and the open rate spent (ACGS_MTLS_OVERFLOW_OPEN_RATE) and waited for a warm or overflow connection or the next token instead of opening one.");
        PoolOverflowConnections = metrics.Factory.CreateGauge(
            "acgs_mtls_pool_overflow_connections",
            "HTTP/1.1 mTLS overflow connections open now, all meshed destinations together (counted while ACGS_MTLS_OVERFLOW_OPEN_RATE limits them).");
        Pool = new Resilience.WarmPoolMetrics(PoolWaits, PoolOverflows, PoolOverflowFull, PoolOverflowThrottled, PoolOverflowConnections);
    }

    /// <summary>The warm pool's counters together, for <see cref="Resilience.WarmPoolHandler"/>.</summary>
    public Resilience.WarmPoolMetrics Pool { get; }

    /// <summary><c>acgs_mtls_pool_overflow_connections</c>: overflow connections open now (with an open rate).</summary>
    public Gauge PoolOverflowConnections { get; }

    /// <summary><c>acgs_mtls_pool_overflow_throttled_total</c>: requests that waited instead of opening an overflow connection past the open rate.</summary>
    public Counter PoolOverflowThrottled { get; }

    /// <summary><c>acgs_mtls_pool_waits_total</c>: requests that waited for a warm connection.</summary>
    public Counter PoolWaits { get; }

    /// <summary><c>acgs_mtls_pool_overflows_total</c>: requests that went over an overflow connection after the wait.</summary>
    public Counter PoolOverflows { get; }

    /// <summary><c>acgs_mtls_pool_overflow_full_total</c>: requests that found the overflow pool full and waited within their own timeout.</summary>
    public Counter PoolOverflowFull { get; }

    /// <summary><c>acgs_identity_cert_expiry_seconds</c>: Unix time at which the current workload certificate expires.</summary>
    public Gauge CertificateExpiry { get; }

    /// <summary><c>acgs_identity_certificate_requests_total{result}</c>.</summary>
    public Counter Requests { get; }

    /// <summary><c>acgs_mtls_rejections_total{reason}</c>: peers refused at the handshake or before the app.</summary>
    public Counter Rejections { get; }

    /// <summary><c>acgs_mtls_handshakes_total{direction}</c>: completed handshakes (once per connection, never per request).</summary>
    public Counter Handshakes { get; }

    /// <summary>The <c>inbound</c> child: a peer's handshake on the inbound listener completed.</summary>
    public Counter.Child InboundHandshakes { get; }

    /// <summary>The <c>outbound</c> child: a handshake with a meshed destination completed (its certificate accepted).</summary>
    public Counter.Child OutboundHandshakes { get; }
}
