// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Acgs.Sidecar.Identity;

/// <summary>
/// Client TLS settings of a cluster whose destinations are meshed sidecars (Linkerd's model): TLS 1.3, the current
/// workload certificate presented (chosen per handshake, so a renewal reaches new connections while open ones finish),
/// and the server accepted only when it chains to the trust bundle, carries an accepted hash and proves exactly the
/// cluster's expected SPIFFE ID. Built once per cluster client, not per request.
/// </summary>
internal static class OutboundTls
{
    public static SslClientAuthenticationOptions ClientOptions(MutualTlsRuntime runtime, string expected)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        return new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            LocalCertificateSelectionCallback = (_, _, _, _, _) => runtime.Identity.Current?.Certificate!,
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                var reason = runtime.Validate(certificate as X509Certificate2, chain?.ChainPolicy.ExtraStore, expected, runtime.Time.GetUtcNow(), out _);
                if (reason is null)
                {
                    runtime.Identity.Metrics.OutboundHandshakes.Inc();
                    return true;
                }

                runtime.Rejections.Reject("outbound", expected, reason);
                return false;
            },
        };
    }
}
