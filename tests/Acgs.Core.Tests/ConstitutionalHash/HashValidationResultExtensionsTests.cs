// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.ConstitutionalHash;

namespace Acgs.Core.Tests.ConstitutionalHash;

public sealed class HashValidationResultExtensionsTests
{
    [Theory]
    [InlineData(HashValidationResult.Valid, "valid")]
    [InlineData(HashValidationResult.Missing, "missing")]
    [InlineData(HashValidationResult.Empty, "empty")]
    [InlineData(HashValidationResult.Repeated, "repeated")]
    [InlineData(HashValidationResult.Malformed, "malformed")]
    [InlineData(HashValidationResult.Mismatch, "mismatch")]
    [InlineData((HashValidationResult)99, "unknown")]
    public void ToReason_EveryResult_StableLowercaseName(HashValidationResult result, string reason)
    {
        Assert.Equal(reason, result.ToReason());
    }

    [Fact]
    public void ToReason_EveryDefinedResult_HasItsOwnName()
    {
        var reasons = Enum.GetValues<HashValidationResult>().Select(r => r.ToReason()).ToList();

        Assert.Equal(reasons.Count, reasons.Distinct().Count());
        Assert.DoesNotContain("unknown", reasons);
    }
}
