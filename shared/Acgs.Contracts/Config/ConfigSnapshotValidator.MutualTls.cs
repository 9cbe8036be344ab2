// Constitutional Hash: cdd01ef066bc6cf2

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Acgs.Contracts.Config;

public static partial class ConfigSnapshotValidator
{
    private static void ValidateMutualTls(MutualTlsConfig? mutualTls, List<string> errors)
    {
        if (mutualTls is null)
        {
            return;
        }

        if (!Enum.IsDefined(mutualTls.Mode))
        {
            errors.Add("mutual_tls.mode: must be disabled, permissive or strict");
        }

        if (mutualTls.TrustBundle.Length > MutualTlsConfig.MaxAnchors)
        {
            errors.Add($"mutual_tls.trust_bundle: must hold at most {MutualTlsConfig.MaxAnchors} anchors");
        }

        for (var i = 0; i < mutualTls.TrustBundle.Length; i++)
        {
            try
            {
                using var anchor = X509Certificate2.CreateFromPem(mutualTls.TrustBundle[i]);
            }
            catch (CryptographicException)
            {
                errors.Add($"mutual_tls.trust_bundle[{i}]: is not a PEM certificate");
            }
        }
    }
}
