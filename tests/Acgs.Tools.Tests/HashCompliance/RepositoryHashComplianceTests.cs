// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Tools.Tests.HashCompliance;

/// <summary>The repository itself passes its own check (a class of its own so xunit runs it in parallel with the rest).</summary>
public sealed class RepositoryHashComplianceTests
{
    [Fact]
    public void Check_RealRepository_Passes()
    {
        // As CI runs it: the files git tracks or would track (untracked, not ignored).
        var result = TempTree.Run(RepositoryRoot.Path, allFiles: false);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("0 missing the mark, 0 with a wrong hash", result.Output, StringComparison.Ordinal);
    }
}
