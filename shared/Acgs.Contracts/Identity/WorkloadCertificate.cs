// Constitutional Hash: cdd01ef066bc6cf2

using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Acgs.Contracts.Identity;

/// <summary>
/// What a workload certificate carries besides its key: exactly one URI SAN, the SPIFFE ID, and the constitutional
/// hash in a private, non-critical extension (<see cref="ConstitutionalHashOid"/>, a DER UTF8String of the 16 hex
/// characters). The hash is not a second URI SAN because an X.509 SPIFFE identity document has exactly one.
/// </summary>
public static class WorkloadCertificate
{
    /// <summary>
    /// OID of the constitutional-hash extension: a UUID-derived OID (ITU-T X.667, arc <c>2.25</c>), which needs no
    /// registration and cannot collide.
    /// </summary>
    public const string ConstitutionalHashOid = "2.25.75773769861295163631343650972476253587";

    /// <summary>The extension holding <paramref name="hash"/>.</summary>
    public static X509Extension CreateHashExtension(string hash)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteCharacterString(UniversalTagNumber.UTF8String, hash);
        return new X509Extension(ConstitutionalHashOid, writer.Encode(), critical: false);
    }

    /// <summary>The constitutional hash of <paramref name="certificate"/>, or null when it has none (or a malformed one).</summary>
    public static string? GetConstitutionalHash(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var extension = certificate.Extensions[ConstitutionalHashOid];
        if (extension is null)
        {
            return null;
        }

        try
        {
            var value = AsnDecoder.ReadCharacterString(extension.RawData, AsnEncodingRules.DER, UniversalTagNumber.UTF8String, out var consumed);
            return consumed == extension.RawData.Length ? value : null;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    /// <summary>
    /// The SPIFFE ID of <paramref name="certificate"/>: its URI SAN when it has exactly one and it starts with
    /// <c>spiffe://</c>; otherwise null.
    /// </summary>
    public static string? GetSpiffeId(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        const string SanOid = "2.5.29.17";
        var extension = certificate.Extensions[SanOid];
        if (extension is null)
        {
            return null;
        }

        string? found = null;
        try
        {
            var names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
            while (names.HasData)
            {
                var tag = names.PeekTag();
                if (!tag.HasSameClassAndValue(uriTag))
                {
                    names.ReadEncodedValue();
                    continue;
                }

                if (found is not null)
                {
                    return null;
                }

                found = names.ReadCharacterString(UniversalTagNumber.IA5String, uriTag);
            }
        }
        catch (AsnContentException)
        {
            return null;
        }

        return found is not null && found.StartsWith(SpiffeId.Prefix, StringComparison.Ordinal) ? found : null;
    }
}
