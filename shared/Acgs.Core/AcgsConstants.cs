// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Core;

/// <summary>Constants both planes share. Every value here is also overridable by configuration.</summary>
public static class AcgsConstants
{
    /// <summary>The default constitutional hash (overridable with <c>CONSTITUTIONAL_HASH</c>).</summary>
    public const string ConstitutionalHash = "cdd01ef066bc6cf2";

    /// <summary>The HTTP header that carries the hash (matched case-insensitively).</summary>
    public const string HashHeaderName = "X-Constitutional-Hash";

    /// <summary>Length of a constitutional hash: 16 lowercase hexadecimal characters.</summary>
    public const int HashLength = 16;

    /// <summary>Prefix of every log line that reports a breaker transition or a governance event.</summary>
    public const string LogPrefix = "[" + ConstitutionalHash + "]";

    /// <summary>The default Redis URL when <c>REDIS_URL</c> is not set and Redis is wanted.</summary>
    public const string DefaultRedisUrl = "redis://localhost:6379/0";

    /// <summary>Problem type URI of a constitutional-hash rejection (RFC 7807).</summary>
    public const string HashMismatchProblemType = "urn:acgs:constitutional-hash-mismatch";

    /// <summary>Problem type URI of a request refused because the upstream's circuit is open.</summary>
    public const string CircuitOpenProblemType = "urn:acgs:circuit-open";
}
