// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.ConstitutionalHash;

namespace Acgs.Core.Tests.ConstitutionalHash;

public sealed class SafePrefixTests
{
    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("                     x")]
    public void SafePrefix_AnyValue_AtMostEightCharacters(string presented)
    {
        Assert.True(ConstitutionalHashValidator.SafePrefix(presented).Length <= ConstitutionalHashValidator.SafePrefixLength);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-garbage-")]
    [InlineData(",")]
    [InlineData(", other")]
    public void SafePrefix_ExpectedHashPlusGarbage_NeverRevealsTheExpectedHash(string garbage)
    {
        foreach (var presented in new[] { HashValues.Expected + garbage, garbage + HashValues.Expected, " " + HashValues.Expected + garbage })
        {
            var prefix = ConstitutionalHashValidator.SafePrefix(presented);

            Assert.True(prefix.Length <= 8, prefix);
            Assert.DoesNotContain(HashValues.Expected, prefix, StringComparison.Ordinal);
            Assert.DoesNotContain(HashValues.Expected[8..], prefix, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SafePrefix_LongValue_ShowsTheFirstEightCharacters()
    {
        Assert.Equal(HashValues.Expected[..8], ConstitutionalHashValidator.SafePrefix(HashValues.Expected + "garbage"));
    }

    [Fact]
    public void SafePrefix_ShortValue_ShownWhole()
    {
        Assert.Equal("abc", ConstitutionalHashValidator.SafePrefix("abc"));
    }

    [Fact]
    public void SafePrefix_SurroundingWhitespace_Trimmed()
    {
        Assert.Equal("abcd", ConstitutionalHashValidator.SafePrefix(" \tabcd\t "));
    }

    [Fact]
    public void SafePrefix_NonPrintable_ReplacedByQuestionMark()
    {
        Assert.Equal("a?b?c?d?", ConstitutionalHashValidator.SafePrefix("a\nbéc\u0000d\u200Bxyz"));
    }

    [Fact]
    public void SafePrefix_RandomInputs_AlwaysShortAndPrintable()
    {
        var random = new Random(20261126);
        for (var i = 0; i < 2_000; i++)
        {
            var chars = new char[random.Next(0, 40)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = (char)random.Next(0, 0x3000);
            }

            var prefix = ConstitutionalHashValidator.SafePrefix(chars);

            Assert.InRange(prefix.Length, 0, 8);
            Assert.All(prefix, c => Assert.InRange(c, ' ', '~'));
        }
    }
}
