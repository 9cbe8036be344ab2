// Constitutional Hash: cdd01ef066bc6cf2

using System.Text;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.Core.Tests.ConstitutionalHash;

public sealed class ConstitutionalHashValidatorTests
{
    private static readonly ConstitutionalHashValidator Validator = ConstitutionalHashValidator.Default;

    public static TheoryData<int> Positions => [.. Enumerable.Range(0, AcgsConstants.HashLength)];

    public static TheoryData<int> LetterPositions =>
        [.. Enumerable.Range(0, AcgsConstants.HashLength).Where(i => char.IsAsciiLetter(HashValues.Expected[i]))];

    [Fact]
    public void Validate_ExpectedValue_Valid()
    {
        Assert.Equal(HashValidationResult.Valid, Validator.Validate(HashValues.Expected));
        Assert.Equal(HashValidationResult.Valid, Validator.Validate(1, HashValues.Expected));
    }

    [Fact]
    public void Validate_Uppercase_Malformed()
    {
        Assert.Equal(HashValidationResult.Malformed, Validator.Validate(1, HashValues.Expected.ToUpperInvariant()));
    }

    [Theory]
    [MemberData(nameof(LetterPositions))]
    public void Validate_OneLetterUppercase_Malformed(int position)
    {
        var value = HashValues.With(position, char.ToUpperInvariant(HashValues.Expected[position]));

        Assert.Equal(HashValidationResult.Malformed, Validator.Validate(1, value));
    }

    [Theory]
    [InlineData(" {0}")]
    [InlineData("{0} ")]
    [InlineData("  {0}  ")]
    [InlineData("\t{0}")]
    [InlineData("{0}\t")]
    [InlineData(" \t {0} \t ")]
    public void Validate_SurroundingWhitespace_TrimmedAndValid(string format)
    {
        var value = string.Format(format, HashValues.Expected);

        Assert.Equal(HashValidationResult.Valid, Validator.Validate(1, value));
    }

    [Fact]
    public void Validate_WhitespaceInside_Malformed()
    {
        var value = HashValues.Expected[..8] + " " + HashValues.Expected[8..];

        Assert.Equal(HashValidationResult.Malformed, Validator.Validate(1, value));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(100)]
    public void Validate_HeaderPresentSeveralTimes_Repeated(int count)
    {
        Assert.Equal(HashValidationResult.Repeated, Validator.Validate(count, HashValues.Expected));
    }

    [Theory]
    [InlineData("{0},{0}")]
    [InlineData("{0}, {0}")]
    [InlineData("{0},")]
    [InlineData(",{0}")]
    public void Validate_CommaList_Repeated(string format)
    {
        var value = string.Format(format, HashValues.Expected);

        Assert.Equal(HashValidationResult.Repeated, Validator.Validate(1, value));
        Assert.Equal(HashValidationResult.Repeated, Validator.Validate(value));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(15)]
    public void Validate_TooShort_Malformed(int length)
    {
        Assert.Equal(HashValidationResult.Malformed, Validator.Validate(1, HashValues.Expected.AsSpan(0, length)));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("00")]
    [InlineData("cdd01ef066bc6cf2")]
    public void Validate_TooLong_Malformed(string suffix)
    {
        Assert.Equal(HashValidationResult.Malformed, Validator.Validate(1, HashValues.Expected + suffix));
    }

    [Theory]
    [MemberData(nameof(Positions))]
    public void Validate_OneCharacterOff_Mismatch(int position)
    {
        for (var shift = 1; shift < 16; shift++)
        {
            Assert.Equal(HashValidationResult.Mismatch, Validator.Validate(1, HashValues.OneOff(position, shift)));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t")]
    [InlineData("  \t  ")]
    public void Validate_EmptyOrWhitespace_Empty(string value)
    {
        Assert.Equal(HashValidationResult.Empty, Validator.Validate(1, value));
        Assert.Equal(HashValidationResult.Empty, Validator.Validate(value));
    }

    [Fact]
    public void Validate_CountZero_MissingWhateverTheValue()
    {
        Assert.Equal(HashValidationResult.Missing, Validator.Validate(0, default));
        Assert.Equal(HashValidationResult.Missing, Validator.Validate(0, HashValues.Expected));
    }

    [Theory]
    [InlineData('é')]        // Latin small e with acute
    [InlineData('с')]        // Cyrillic small es, looks like 'c'
    [InlineData('０')]       // full-width digit zero
    [InlineData('٠')]        // Arabic-Indic digit zero
    [InlineData('\u0000')]
    [InlineData('g')]
    [InlineData('-')]
    public void Validate_NonHexCharacter_Malformed(char c)
    {
        for (var position = 0; position < AcgsConstants.HashLength; position++)
        {
            Assert.Equal(HashValidationResult.Malformed, Validator.Validate(1, HashValues.With(position, c)));
        }
    }

    [Theory]
    [InlineData("\u200B")] // zero-width space: not trimmed
    [InlineData("\u00A0")] // no-break space: not HTTP whitespace
    public void Validate_InvisibleNonAsciiAround_Malformed(string extra)
    {
        Assert.Equal(HashValidationResult.Malformed, Validator.Validate(1, extra + HashValues.Expected));
        Assert.Equal(HashValidationResult.Malformed, Validator.Validate(1, HashValues.Expected + extra));
    }

    [Fact]
    public void ValidateUtf8_Expected_Valid()
    {
        Assert.Equal(HashValidationResult.Valid, Validator.Validate(Encoding.UTF8.GetBytes(HashValues.Expected)));
    }

    [Fact]
    public void ValidateUtf8_Empty_Missing()
    {
        Assert.Equal(HashValidationResult.Missing, Validator.Validate(ReadOnlySpan<byte>.Empty));
    }

    [Theory]
    [MemberData(nameof(Positions))]
    public void ValidateUtf8_OneCharacterOff_Mismatch(int position)
    {
        Assert.Equal(HashValidationResult.Mismatch, Validator.Validate(Encoding.UTF8.GetBytes(HashValues.OneOff(position))));
    }

    [Fact]
    public void ValidateUtf8_Uppercase_Malformed()
    {
        Assert.Equal(HashValidationResult.Malformed, Validator.Validate(Encoding.UTF8.GetBytes(HashValues.Expected.ToUpperInvariant())));
    }

    [Fact]
    public void ValidateUtf8_SixteenBytesWithMultiByteCharacter_Malformed()
    {
        // 14 ASCII characters + 'é' (2 bytes) = 16 bytes: the right length, the wrong alphabet.
        var bytes = Encoding.UTF8.GetBytes(HashValues.Expected[..14] + "é");
        Assert.Equal(16, bytes.Length);

        Assert.Equal(HashValidationResult.Malformed, Validator.Validate(bytes));
    }

    [Fact]
    public void ValidateUtf8_SurroundingSpaces_MalformedBecauseWireFormatIsNotTrimmed()
    {
        Assert.Equal(HashValidationResult.Malformed, Validator.Validate(Encoding.UTF8.GetBytes(" " + HashValues.Expected)));
    }

    [Fact]
    public void ValidateUtf8_WrongLength_Malformed()
    {
        Assert.Equal(HashValidationResult.Malformed, Validator.Validate(Encoding.UTF8.GetBytes(HashValues.Expected[..15])));
        Assert.Equal(HashValidationResult.Malformed, Validator.Validate(Encoding.UTF8.GetBytes(HashValues.Expected + "0")));
    }

    [Fact]
    public void Validate_RotationSet_BothAcceptedAThirdRejected()
    {
        var next = HashValues.OneOff(15);
        var third = HashValues.OneOff(0);
        var rotating = new ConstitutionalHashValidator(ConstitutionalHashSet.Create([HashValues.Expected, next]));

        Assert.Equal(HashValidationResult.Valid, rotating.Validate(1, HashValues.Expected));
        Assert.Equal(HashValidationResult.Valid, rotating.Validate(1, next));
        Assert.Equal(HashValidationResult.Valid, rotating.Validate(Encoding.UTF8.GetBytes(next)));
        Assert.Equal(HashValidationResult.Mismatch, rotating.Validate(1, third));
        Assert.Equal(HashValidationResult.Mismatch, rotating.Validate(Encoding.UTF8.GetBytes(third)));
        Assert.Equal(HashValidationResult.Mismatch, Validator.Validate(1, next));
    }

    [Fact]
    public void Validate_NewHashOnly_OldOneRejected()
    {
        var next = HashValues.OneOff(7);
        var validator = new ConstitutionalHashValidator(ConstitutionalHashSet.Create([next]));

        Assert.Equal(HashValidationResult.Valid, validator.Validate(1, next));
        Assert.Equal(HashValidationResult.Mismatch, validator.Validate(1, HashValues.Expected));
    }

    [Fact]
    public void Default_AcceptsOnlyTheConstant()
    {
        Assert.Equal([HashValues.Expected], ConstitutionalHashValidator.Default.Accepted.Hashes.ToArray());
    }

    [Fact]
    public void Constructor_NullSet_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new ConstitutionalHashValidator(null!));
    }
}
