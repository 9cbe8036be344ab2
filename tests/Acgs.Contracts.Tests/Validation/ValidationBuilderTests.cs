// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Validation;
using Acgs.Core;
using Acgs.Core.ConstitutionalHash;
using Xunit;

namespace Acgs.Contracts.Tests.Validation;

public sealed class ValidationBuilderTests
{
    [Fact]
    public void Build_NoErrors_IsSuccess()
    {
        var result = new ValidationBuilder().Build();

        Assert.True(result.IsValid);
        Assert.Same(ValidationResult.Success, result);
        Assert.Equal("valid", result.ToString());
    }

    [Fact]
    public void Build_SeveralProblems_KeepsEveryErrorInOrder()
    {
        var builder = new ValidationBuilder();

        builder.Required(null, "a");
        builder.Range(11, 0, 10, "b");
        builder.Range(double.NaN, 0, 1, "c");
        builder.Add("", "whole document");
        var result = builder.Build();

        Assert.False(result.IsValid);
        Assert.Equal(["a: is required", "b: must be between 0 and 10, got 11", "c: must be between 0 and 1, got NaN", "whole document"], result.Messages);
        var ex = Assert.Throws<ArgumentException>(() => result.ThrowIfInvalid("x"));
        Assert.Contains("b: must be between 0 and 10", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("audit-ledger", true)]
    [InlineData("a", true)]
    [InlineData("svc.ns_1", true)]
    [InlineData("Audit", false)]
    [InlineData("-x", false)]
    [InlineData("x-", false)]
    [InlineData("a b", false)]
    [InlineData("", false)]
    public void Name_Rules(string value, bool valid)
    {
        var builder = new ValidationBuilder();

        Assert.Equal(valid, builder.Name(value, "name"));
        Assert.Equal(valid ? 0 : 1, builder.Count);
    }

    [Fact]
    public void Name_TooLong_ReportsLength()
    {
        var builder = new ValidationBuilder();

        builder.Name(new string('a', ValidationBuilder.MaxNameLength + 1), "name");

        Assert.Equal("name: must be at most 128 characters, got 129", Assert.Single(builder.Build().Messages));
    }

    [Theory]
    [InlineData("agent-1", 128, true)]
    [InlineData("agent 1", 128, false)]
    [InlineData("agent\u0001", 128, false)]
    [InlineData("ééé", 6, true)]
    [InlineData("ééé", 5, false)]
    public void Identifier_CountsUtf8BytesAndRefusesSpaces(string value, int max, bool valid)
    {
        Assert.Equal(valid, new ValidationBuilder().Identifier(value, "id", max));
    }

    [Fact]
    public void AddRange_PrefixesPaths()
    {
        var inner = new ValidationBuilder().Add("x", "bad").Add("", "root").Build();

        var outer = new ValidationBuilder().AddRange(inner, "spec").Build();

        Assert.Equal(["spec.x: bad", "spec: root"], outer.Messages);
    }

    [Fact]
    public void ConstitutionalHash_EachFailure_NeverEchoesValues()
    {
        var presented = new string('a', AcgsConstants.HashLength);
        var builder = new ValidationBuilder();
        var validator = ConstitutionalHashValidator.Default;

        Assert.True(builder.ConstitutionalHash(AcgsConstants.ConstitutionalHash, validator, "h0"));
        Assert.False(builder.ConstitutionalHash(null, validator, "h1"));
        Assert.False(builder.ConstitutionalHash(" ", validator, "h2"));
        Assert.False(builder.ConstitutionalHash("ABC", validator, "h3"));
        Assert.False(builder.ConstitutionalHash(presented, validator, "h4"));

        var messages = builder.Build().Messages;
        Assert.Equal(["h1: is required", "h2: is required", "h3: must be 16 lowercase hexadecimal characters", "h4: is not an accepted constitutional hash"], messages);
        foreach (var message in messages)
        {
            Assert.DoesNotContain(AcgsConstants.ConstitutionalHash, message, StringComparison.Ordinal);
            Assert.DoesNotContain(presented, message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/api/v1", true)]
    [InlineData("api", false)]
    [InlineData("/a b", false)]
    [InlineData("/a?b", false)]
    public void PathPrefix_Rules(string value, bool valid)
    {
        Assert.Equal(valid, new ValidationBuilder().PathPrefix(value, "p"));
    }

    [Fact]
    public void ValidationPath_BuildsJsonPaths()
    {
        Assert.Equal("spec.hosts[2]", ValidationPath.Index(ValidationPath.Child("spec", "hosts"), 2));
        Assert.Equal("name", ValidationPath.Child("", "name"));
    }
}
