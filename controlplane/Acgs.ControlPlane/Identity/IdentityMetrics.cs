// Constitutional Hash: cdd01ef066bc6cf2

using Prometheus;

namespace Acgs.ControlPlane.Identity;

/// <summary>Prometheus metrics of the certificate authority, on the control plane's registry.</summary>
internal sealed class IdentityMetrics
{
    public IdentityMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        Issued = factory.CreateCounter("acgs_controlplane_identity_certificates_issued_total",
            "Workload certificates issued, by credential (join_token, kubernetes, renewal).", "credential");
        Refused = factory.CreateCounter("acgs_controlplane_identity_refusals_total", "Certificate requests refused, by reason.", "reason");
        JoinTokens = factory.CreateCounter("acgs_controlplane_identity_join_tokens_total", "Join-token operations (created, revoked).", "action");
        foreach (var credential in new[] { "join_token", "kubernetes", "renewal" })
        {
            Issued.WithLabels(credential);
        }

        foreach (var reason in IdentityReasons.All)
        {
            Refused.WithLabels(reason);
        }
    }

    /// <summary><c>acgs_controlplane_identity_certificates_issued_total{credential}</c>.</summary>
    public Counter Issued { get; }

    /// <summary><c>acgs_controlplane_identity_refusals_total{reason}</c>.</summary>
    public Counter Refused { get; }

    /// <summary><c>acgs_controlplane_identity_join_tokens_total{action}</c>.</summary>
    public Counter JoinTokens { get; }
}
