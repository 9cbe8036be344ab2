// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Core.ConstitutionalHash;

/// <summary>Outcome of checking a presented constitutional hash.</summary>
public enum HashValidationResult : byte
{
    /// <summary>The value is one of the accepted hashes.</summary>
    Valid = 0,

    /// <summary>No value was presented.</summary>
    Missing = 1,

    /// <summary>A value was presented but it is empty or only whitespace.</summary>
    Empty = 2,

    /// <summary>The value was presented more than once (two headers or a comma-separated list).</summary>
    Repeated = 3,

    /// <summary>The value is not 16 lowercase hexadecimal characters (wrong length, case or alphabet).</summary>
    Malformed = 4,

    /// <summary>The value is well formed but is not an accepted hash.</summary>
    Mismatch = 5,
}
