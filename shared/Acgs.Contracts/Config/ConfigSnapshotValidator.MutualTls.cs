// Constitutional Hash: cdd01ef066bc6cf2

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Acgs.Contracts.Config;

public static partial class ConfigSnapshotValidator
{
    private static void ValidateMutualTls(MutualTlsConfig? mutualTls, List<string> errors, ConfigValidationMemo? memo)
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
            var pem = mutualTls.TrustBundle[i];
            bool valid;
            if (memo is null || pem is null || !memo.TryGetAnchor(pem, out valid))
            {
                valid = IsPemCertificate(pem);
                if (memo is not null && pem is not null)
                {
                    memo.AddAnchor(pem, valid);
                }
            }

            if (!valid)
            {
                errors.Add($"mutual_tls.trust_bundle[{i}]: is not a PEM certificate");
            }
        }
    }

    private static bool IsPemCertificate(string? pem)
    {
        try
        {
            using var anchor = X509Certificate2.CreateFromPem(pem);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
