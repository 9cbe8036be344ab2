// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Policies;
using Acgs.ControlPlane.Compiler;

namespace Acgs.ControlPlane.Tests.Compiler;

public sealed class ActivePoliciesTests
{
    private const string Hash = Acgs.Core.AcgsConstants.ConstitutionalHash;

    [Fact]
    public void Parse_SameContentTwice_SameDocument()
    {
        var content = Breaker(5);

        var first = ActivePolicies.Parse(content);

        Assert.NotNull(first);
        Assert.Same(first, ActivePolicies.Parse(new string(content.AsSpan())));
    }

    [Fact]
    public void Parse_ContentDiffersInOneValue_EachParsedFromItsOwnText()
    {
        var five = ActivePolicies.Parse(Breaker(5));
        var six = ActivePolicies.Parse(Breaker(6));

        Assert.Equal(5, Assert.IsType<CircuitBreakerSpec>(five?.Spec).FailMax);
        Assert.Equal(6, Assert.IsType<CircuitBreakerSpec>(six?.Spec).FailMax);
    }

    [Fact]
    public void Parse_NotRemembered_ParsedButNotKept()
    {
        var content = Breaker(7);

        var validated = ActivePolicies.Parse(content, remember: false);
        var stored = ActivePolicies.Parse(new string(content.AsSpan()));

        Assert.Equal(7, Assert.IsType<CircuitBreakerSpec>(validated?.Spec).FailMax);
        Assert.NotSame(validated, stored); // the validation's parse was not kept: the stored content got one of its own
        Assert.Same(stored, ActivePolicies.Parse(content, remember: false)); // a kept parse is still found
    }

    private static string Breaker(int failMax) =>
        $$"""{"constitutional_hash":"{{Hash}}","kind":"CircuitBreaker","name":"memo-breaker","spec":{"fail_max":{{failMax}},"failure_statuses":[],"reset_timeout_seconds":30},"target":"mesh"}""";
}
