// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Acgs.Contracts.Validation;

namespace Acgs.ControlPlane.Identity;

/// <summary>
/// The workload's control-plane credential: <c>acgs-wt1.&lt;payload&gt;.&lt;signature&gt;</c>, both base64url. The payload is
/// UTF-8 lines — SPIFFE ID, service, node, certificate SHA-256 (hex), expiry (Unix seconds) — and the signature is the CA
/// issuer key's ECDSA P-256 / SHA-256 signature of <c>acgs-workload-token-v1.</c> + the encoded payload (a prefix no
/// certificate's to-be-signed DER can start with). Every replica loads the same CA, so each accepts the others' tokens.
/// </summary>
internal static class WorkloadTokens
{
    /// <summary>The prefix that marks a bearer value as a workload token.</summary>
    public const string Prefix = "acgs-wt1.";

    private const string SigningDomain = "acgs-workload-token-v1.";
    private const int MaxLength = 4096;

    /// <summary>True when <paramref name="bearer"/> claims to be a workload token (it may still be invalid).</summary>
    public static bool IsWorkloadToken(ReadOnlySpan<char> bearer) => bearer.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>
    /// The service a workload token is for: <c>svc/&lt;service&gt;</c> outside Kubernetes, the ServiceAccount's name in it;
    /// null (no token) when that is not a valid service name.
    /// </summary>
    public static string? ServiceOf(string spiffeId)
    {
        ArgumentNullException.ThrowIfNull(spiffeId);
        var svc = spiffeId.LastIndexOf("/svc/", StringComparison.Ordinal);
        var sa = spiffeId.LastIndexOf("/sa/", StringComparison.Ordinal);
        var name = svc >= 0 ? spiffeId[(svc + 5)..] : sa >= 0 ? spiffeId[(sa + 4)..] : null;
        return ServiceName.IsValid(name) ? name : null;
    }

    /// <summary>A signed token for <paramref name="token"/>'s claims.</summary>
    public static string Issue(CertificateAuthority authority, WorkloadToken token)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(token);
        var payload = string.Join('\n', token.SpiffeId, token.Service, token.Node, token.CertificateSha256,
            token.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        var encoded = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        var signature = authority.SignData(Encoding.ASCII.GetBytes(SigningDomain + encoded));
        return Prefix + encoded + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>
    /// The claims of <paramref name="bearer"/> when <paramref name="authority"/> signed it and it has not expired at
    /// <paramref name="now"/>; else null and <paramref name="reason"/> (<c>malformed</c>, <c>signature</c>, <c>expired</c>).
    /// </summary>
    public static WorkloadToken? Verify(CertificateAuthority authority, string bearer, DateTimeOffset now, out string reason)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(bearer);
        reason = "malformed";
        if (bearer.Length > MaxLength || !IsWorkloadToken(bearer))
        {
            return null;
        }

        var body = bearer.AsSpan(Prefix.Length);
        var dot = body.IndexOf('.');
        if (dot <= 0 || dot == body.Length - 1)
        {
            return null;
        }

        var encoded = body[..dot];
        byte[] payload;
        byte[] signature;
        try
        {
            payload = Base64Url.DecodeFromChars(encoded);
            signature = Base64Url.DecodeFromChars(body[(dot + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }

        if (!authority.VerifyData(Encoding.ASCII.GetBytes(SigningDomain + encoded.ToString()), signature))
        {
            reason = "signature";
            return null;
        }

        var fields = Encoding.UTF8.GetString(payload).Split('\n');
        if (fields.Length != 5 || !ServiceName.IsValid(fields[1]) || !NodeId.IsValid(fields[2])
            || !long.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return null;
        }

        var token = new WorkloadToken(fields[0], fields[1], fields[2], fields[3], DateTimeOffset.FromUnixTimeSeconds(expires));
        if (token.ExpiresAt <= now)
        {
            reason = "expired";
            return null;
        }

        reason = string.Empty;
        return token;
    }
}
