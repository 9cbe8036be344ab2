// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Acgs.Contracts.Config;

public static partial class ConfigSnapshotValidator
{
    private static void ValidateMutualTls(MutualTlsConfig? mutualTls, List<string> errors, ConfigValidationMemo? memo, TrustAnchorMemo? anchors)
    {
        anchors ??= memo?.Anchors; // a sidecar's memo across snapshots, or the compile pass's (its snapshots share one bundle)
        if (mutualTls is null)
        {
            anchors?.Remember([]);
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

        ValidateAnchors(mutualTls.TrustBundle, errors, anchors ?? new TrustAnchorMemo());
    }

    /// <summary>
    /// Checks each anchor of <paramref name="bundle"/>, taking the validity of an anchor <paramref name="anchors"/>
    /// remembers from the last snapshot, then leaves <paramref name="anchors"/> holding this bundle's first
    /// <see cref="MutualTlsConfig.MaxAnchors"/> anchors alone (the same array when they are the ones it held).
    /// </summary>
    private static void ValidateAnchors(ImmutableArray<string> bundle, List<string> errors, TrustAnchorMemo anchors)
    {
        var known = anchors.Current;
        var length = Math.Min(bundle.Length, MutualTlsConfig.MaxAnchors);
        var next = length == known.Length ? known : new TrustAnchorMemo.Anchor[length];
        for (var i = 0; i < bundle.Length; i++)
        {
            var pem = bundle[i];
            if (!TrustAnchorMemo.Find(known, pem, out var valid))
            {
                valid = IsPemCertificate(pem);
            }

            if (!valid)
            {
                errors.Add($"mutual_tls.trust_bundle[{i}]: is not a PEM certificate");
            }

            if (i < length && (next != known || !string.Equals(known[i].Pem, pem, StringComparison.Ordinal)))
            {
                if (next == known)
                {
                    next = new TrustAnchorMemo.Anchor[length];
                    Array.Copy(known, next, i);
                }

                next[i] = new TrustAnchorMemo.Anchor(pem, valid);
            }
        }

        if (next != known)
        {
            anchors.Remember(next);
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
