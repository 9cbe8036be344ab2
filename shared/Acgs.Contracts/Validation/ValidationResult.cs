// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.Contracts.Validation;

/// <summary>The outcome of validating a contract: every problem found, not just the first.</summary>
public sealed record ValidationResult
{
    /// <summary>A result without errors.</summary>
    public static ValidationResult Success { get; } = new([]);

    /// <summary>Creates a result holding <paramref name="errors"/>.</summary>
    public ValidationResult(ImmutableArray<ValidationError> errors)
    {
        Errors = errors.IsDefault ? [] : errors;
    }

    /// <summary>Every problem, in the order found.</summary>
    public ImmutableArray<ValidationError> Errors { get; }

    /// <summary>True when there is no error.</summary>
    public bool IsValid => Errors.IsEmpty;

    /// <summary>Each error as <c>path: message</c>.</summary>
    public IReadOnlyList<string> Messages
    {
        get
        {
            var messages = new string[Errors.Length];
            for (var i = 0; i < messages.Length; i++)
            {
                messages[i] = Errors[i].ToString();
            }

            return messages;
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every error when invalid.</summary>
    public void ThrowIfInvalid(string? paramName = null)
    {
        if (!IsValid)
        {
            throw new ArgumentException(ToString(), paramName);
        }
    }

    /// <summary><c>valid</c>, or every error joined with <c>; </c>.</summary>
    public override string ToString() => IsValid ? "valid" : string.Join("; ", Messages);
}
