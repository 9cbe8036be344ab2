// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Cli.Tests.Operations;

/// <summary>Usage errors: exit code 2, one line per problem, no call made.</summary>
public sealed class UsageTests
{
    [Fact]
    public void Run_UnknownCommand_ExitTwo()
    {
        var run = CliRun.Invoke(["frobnicate"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'frobnicate'", run.Stderr);
    }

    [Fact]
    public void Status_RelativeUrlAndBadTimeout_ExitTwoOneLineEach()
    {
        var run = CliRun.Invoke(["status", "--control-plane-url", "cp:8000/x", "--timeout", "0"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
        [
            "acgsctl: --control-plane-url: must be an absolute http(s) URL (got 'cp:8000/x')",
            "acgsctl: --timeout: must be 1..600 seconds (got '0')",
        ], run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void Status_UnreadableTokenFile_ExitTwoNamingIt()
    {
        var run = CliRun.Invoke(["status", "--token-file", "/nonexistent/acgs-token"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--token-file: cannot read '/nonexistent/acgs-token'", run.Stderr);
    }

    [Fact]
    public void Help_EveryCommandListed_ExitZero()
    {
        var run = CliRun.Invoke(["--help"]);

        Assert.Equal(0, run.ExitCode);
        foreach (var command in new[] { "inject", "status", "check", "policy", "rollout", "recovery", "chaos", "metering" })
        {
            Assert.Contains("  " + command + " ", run.Stdout);
        }
    }

    [Fact]
    public void PolicyActivate_MissingVersion_ExitTwo()
    {
        var run = CliRun.Invoke(["policy", "activate", "x"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--version", run.Stderr);
    }
}
