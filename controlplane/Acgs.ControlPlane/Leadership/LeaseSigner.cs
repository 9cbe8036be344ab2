// Constitutional Hash: cdd01ef066bc6cf2

using System.Security.Cryptography;
using System.Text;

namespace Acgs.ControlPlane.Leadership;

/// <summary>
/// Signs the leader lease with a key derived from the admin token (HKDF-SHA256), which every replica of one control
/// plane shares. A follower forwards leader-only calls, with the caller's admin token, only to a URL whose lease carries
/// a valid signature: whoever can write the Redis key but does not hold the admin token cannot redirect them.
/// </summary>
internal sealed class LeaseSigner
{
    private static readonly byte[] Info = Encoding.ASCII.GetBytes("acgs leader lease v1");
    private readonly byte[] _key;

    /// <summary>A signer keyed by <paramref name="adminToken"/>.</summary>
    public LeaseSigner(string adminToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(adminToken);
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(adminToken), 32, salt: null, info: Info);
    }

    /// <summary>The signature of <paramref name="text"/> (base64url of HMAC-SHA256).</summary>
    public string Sign(string text) => Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>True when <paramref name="signature"/> is the signature of <paramref name="text"/> (compared in constant time).</summary>
    public bool Verify(string text, string signature) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(text)), Encoding.ASCII.GetBytes(signature));
}
