// Constitutional Hash: cdd01ef066bc6cf2

using Prometheus;

namespace Acgs.Sidecar.Identity;

/// <summary>Identity and mTLS metrics (default registry, admin <c>/metrics</c>).</summary>
internal static class IdentityMetrics
{
    /// <summary><c>acgs_identity_cert_expiry_seconds</c>: Unix time at which the current workload certificate expires.</summary>
    public static Gauge CertificateExpiry { get; } = Metrics.CreateGauge(
        "acgs_identity_cert_expiry_seconds", "Unix time (seconds) at which this sidecar's current workload certificate expires; 0 before the first.");

    /// <summary><c>acgs_identity_certificate_requests_total{result}</c>.</summary>
    public static Counter Requests { get; } = Metrics.CreateCounter(
        "acgs_identity_certificate_requests_total", "Certificate requests to the control plane, by result (issued, refused, failed).",
        new CounterConfiguration { LabelNames = ["result"] });

    /// <summary><c>acgs_mtls_rejections_total{reason}</c>: peers refused at the handshake or before the app.</summary>
    public static Counter Rejections { get; } = Metrics.CreateCounter(
        "acgs_mtls_rejections_total", "Peers refused by mutual TLS, by reason.", new CounterConfiguration { LabelNames = ["reason"] });
}
