// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Core.Tests;

public sealed class AcgsConstantsTests
{
    [Fact]
    public void ConstitutionalHash_IsTheSeedValue()
    {
        Assert.Equal("cdd01ef066bc6cf2", AcgsConstants.ConstitutionalHash);
        Assert.Equal(AcgsConstants.HashLength, AcgsConstants.ConstitutionalHash.Length);
        Assert.All(AcgsConstants.ConstitutionalHash, c => Assert.True(char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)));
    }

    [Fact]
    public void HashHeaderName_IsXConstitutionalHash()
    {
        Assert.Equal("X-Constitutional-Hash", AcgsConstants.HashHeaderName);
    }

    [Fact]
    public void LogPrefix_IsHashInBrackets()
    {
        Assert.Equal("[cdd01ef066bc6cf2]", AcgsConstants.LogPrefix);
    }

    [Fact]
    public void DefaultRedisUrl_IsLocalDatabaseZero()
    {
        Assert.Equal("redis://localhost:6379/0", AcgsConstants.DefaultRedisUrl);
    }

    [Fact]
    public void ProblemTypes_AreAcgsUrns()
    {
        Assert.Equal("urn:acgs:constitutional-hash-mismatch", AcgsConstants.HashMismatchProblemType);
        Assert.Equal("urn:acgs:circuit-open", AcgsConstants.CircuitOpenProblemType);
    }
}
