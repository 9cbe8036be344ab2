// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Core.ConstitutionalHash;

/// <summary>
/// Checks a presented constitutional hash against an accepted set (docs/architecture.md).
/// Allocation-free; the comparison is constant-time; nothing it returns reveals an accepted value.
/// </summary>
public sealed class ConstitutionalHashValidator
{
    /// <summary>How many characters of a presented value an error may show.</summary>
    public const int SafePrefixLength = 8;

    /// <summary>Creates a validator for the given accepted set.</summary>
    public ConstitutionalHashValidator(ConstitutionalHashSet accepted)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        Accepted = accepted;
    }

    /// <summary>A validator accepting only the default hash.</summary>
    public static ConstitutionalHashValidator Default { get; } = new(ConstitutionalHashSet.Default);

    /// <summary>The accepted set. Never log or echo its values.</summary>
    public ConstitutionalHashSet Accepted { get; }

    /// <summary>
    /// Validates the values of a header that may be present several times: <paramref name="count"/>
    /// is how many values arrived, <paramref name="first"/> the first of them.
    /// </summary>
    public HashValidationResult Validate(int count, ReadOnlySpan<char> first) => count switch
    {
        0 => HashValidationResult.Missing,
        1 => Validate(first),
        _ => HashValidationResult.Repeated,
    };

    /// <summary>Validates one presented value (optional surrounding spaces or tabs are ignored).</summary>
    public HashValidationResult Validate(ReadOnlySpan<char> value)
    {
        value = value.Trim(" \t");
        if (value.IsEmpty)
        {
            return HashValidationResult.Empty;
        }

        if (value.Contains(','))
        {
            return HashValidationResult.Repeated;
        }

        if (!ConstitutionalHashSet.TryParse(value, out var parsed))
        {
            return HashValidationResult.Malformed;
        }

        return Accepted.ContainsParsed(parsed) ? HashValidationResult.Valid : HashValidationResult.Mismatch;
    }

    /// <summary>Validates a value carried as UTF-8 bytes (the bus wire format); no trimming.</summary>
    public HashValidationResult Validate(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return HashValidationResult.Missing;
        }

        if (!ConstitutionalHashSet.TryParse(utf8, out var parsed))
        {
            return HashValidationResult.Malformed;
        }

        return Accepted.ContainsParsed(parsed) ? HashValidationResult.Valid : HashValidationResult.Mismatch;
    }

    /// <summary>
    /// At most <see cref="SafePrefixLength"/> characters of what was sent, with anything outside
    /// printable ASCII replaced by '?', for error messages. Allocates: call it only on rejection.
    /// </summary>
    public static string SafePrefix(ReadOnlySpan<char> presented)
    {
        presented = presented.Trim(" \t");
        var length = Math.Min(presented.Length, SafePrefixLength);
        return string.Create(length, presented[..length].ToString(), static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = source[i];
                span[i] = c is >= ' ' and <= '~' ? c : '?';
            }
        });
    }
}
