// Constitutional Hash: cdd01ef066bc6cf2

using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Acgs.ControlPlane.Api;

/// <summary>
/// Checks an <c>Authorization: Bearer</c> header against a configured token in constant time: both are
/// hashed with SHA-256 and the digests compared with <see cref="CryptographicOperations.FixedTimeEquals"/>,
/// so neither the length nor the content of the token leaks through timing. Only the digest is kept.
/// </summary>
internal sealed class BearerTokenVerifier
{
    private readonly byte[]? _expected;

    public BearerTokenVerifier(string? token)
    {
        _expected = string.IsNullOrEmpty(token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>False when no token is configured.</summary>
    public bool IsConfigured => _expected is not null;

    /// <summary>True when exactly one Authorization header carries <c>Bearer &lt;the token&gt;</c>.</summary>
    public bool Verify(StringValues authorization)
    {
        if (_expected is null || authorization.Count != 1 || authorization[0] is not { } header
            || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = header.AsSpan(7).Trim();
        Span<byte> digest = stackalloc byte[32];
        var bytes = Encoding.UTF8.GetBytes(presented.ToString());
        SHA256.HashData(bytes, digest);
        return CryptographicOperations.FixedTimeEquals(digest, _expected);
    }
}
