// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.Contracts.Validation;

/// <summary>
/// Collects every validation error of a contract (never stops at the first) and builds a
/// <see cref="ValidationResult"/>. The check methods add an error and return false when the value is bad.
/// Not thread-safe: one builder per validation.
/// </summary>
public sealed partial class ValidationBuilder
{
    /// <summary>Longest policy name accepted by <see cref="Name"/> (service and cluster names follow <see cref="Validation.ServiceName"/>).</summary>
    public const int MaxNameLength = 128;

    private ImmutableArray<ValidationError>.Builder? _errors;

    /// <summary>Errors collected so far.</summary>
    public int Count => _errors?.Count ?? 0;

    /// <summary>True when at least one error was collected.</summary>
    public bool HasErrors => Count > 0;

    /// <summary>Adds an error.</summary>
    public ValidationBuilder Add(string path, string message)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(message);
        (_errors ??= ImmutableArray.CreateBuilder<ValidationError>()).Add(new ValidationError(path, message));
        return this;
    }

    /// <summary>Adds every error of <paramref name="result"/>, their paths prefixed with <paramref name="prefix"/>.</summary>
    public ValidationBuilder AddRange(ValidationResult result, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (var error in result.Errors)
        {
            Add(error.Path.Length == 0 ? prefix : ValidationPath.Child(prefix, error.Path), error.Message);
        }

        return this;
    }

    /// <summary>The collected errors.</summary>
    public ValidationResult Build() => _errors is null ? ValidationResult.Success : new ValidationResult(_errors.ToImmutable());

    /// <summary>Requires a non-blank value.</summary>
    public bool Required(string? value, string path)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(path, "is required");
            return false;
        }

        return true;
    }

    /// <summary>Requires a policy name: 1–<paramref name="maxLength"/> lowercase letters, digits, '-', '_' and '.', starting and ending with a letter or digit.</summary>
    public bool Name(string? value, string path, int maxLength = MaxNameLength)
    {
        if (!Required(value, path))
        {
            return false;
        }

        if (value!.Length > maxLength)
        {
            Add(path, Invariant($"must be at most {maxLength} characters, got {value.Length}"));
            return false;
        }

        if (!IsAlphanumeric(value[0]) || !IsAlphanumeric(value[^1]) || !CharacterRules.IsNameCharactersOnly(value))
        {
            Add(path, "must contain only lowercase letters, digits, '-', '_' and '.', and start and end with a letter or digit");
            return false;
        }

        return true;
    }

    /// <summary>Requires an identifier: printable ASCII or other non-control, non-space characters, at most <paramref name="maxUtf8Bytes"/> UTF-8 bytes.</summary>
    public bool Identifier(string? value, string path, int maxUtf8Bytes)
    {
        if (!Required(value, path))
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetByteCount(value!);
        if (bytes > maxUtf8Bytes)
        {
            Add(path, Invariant($"must be at most {maxUtf8Bytes} UTF-8 bytes, got {bytes}"));
            return false;
        }

        foreach (var c in value!)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                Add(path, "must not contain whitespace or control characters");
                return false;
            }
        }

        return true;
    }

    /// <summary>Requires <paramref name="min"/> ≤ <paramref name="value"/> ≤ <paramref name="max"/>.</summary>
    public bool Range(long value, long min, long max, string path)
    {
        if (value < min || value > max)
        {
            Add(path, Invariant($"must be between {min} and {max}, got {value}"));
            return false;
        }

        return true;
    }

    /// <summary>Requires a finite <paramref name="value"/> with <paramref name="min"/> ≤ value ≤ <paramref name="max"/>.</summary>
    public bool Range(double value, double min, double max, string path)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            Add(path, Invariant($"must be between {min} and {max}, got {value}"));
            return false;
        }

        return true;
    }

    /// <summary>Requires a URL path prefix: starts with '/', no whitespace, query or fragment.</summary>
    public bool PathPrefix(string? value, string path)
    {
        if (!Required(value, path))
        {
            return false;
        }

        if (value![0] != '/' || CharacterRules.HasPathForbidden(value))
        {
            Add(path, "must start with '/' and contain no whitespace, '?' or '#'");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Requires an accepted constitutional hash. The message says only what is wrong (missing, malformed,
    /// not accepted); it never shows an accepted value nor the value presented.
    /// </summary>
    public bool ConstitutionalHash(string? value, ConstitutionalHashValidator validator, string path)
    {
        ArgumentNullException.ThrowIfNull(validator);
        if (value is null)
        {
            Add(path, "is required");
            return false;
        }

        var result = validator.Validate(value.AsSpan());
        switch (result)
        {
            case HashValidationResult.Valid:
                return true;
            case HashValidationResult.Missing or HashValidationResult.Empty:
                Add(path, "is required");
                return false;
            case HashValidationResult.Malformed or HashValidationResult.Repeated:
                Add(path, "must be 16 lowercase hexadecimal characters");
                return false;
            default:
                Add(path, "is not an accepted constitutional hash");
                return false;
        }
    }

    private static bool IsAlphanumeric(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
