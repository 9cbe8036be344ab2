// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Tools.Tests.EntryScript;

/// <summary>
/// <c>./acgs help</c>, <c>./acgs COMMAND --help</c> and wrong command lines answer at once: nothing is built, published
/// or installed (the stubbed <c>dotnet</c> and <c>apt-get</c> are never called, nothing is created beside the script).
/// </summary>
public sealed class AcgsHelpTests : IDisposable
{
    private readonly StubbedScript _script = new();

    [Theory]
    [InlineData("perf", "--help")]
    [InlineData("perf", "-h")]
    [InlineData("perf", "gate", "--ci", "--help")]
    [InlineData("perf", "soak", "--help")]
    [InlineData("perf", "series", "--help")]
    [InlineData("perf", "convergence", "--help")]
    [InlineData("help", "perf")]
    public void Perf_Help_PrintsItsUsageWithoutBuilding(params string[] arguments)
    {
        var (exit, stdout, stderr) = _script.Run(arguments);

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.StartsWith("  perf     [gate|compare|", stdout, StringComparison.Ordinal);
        Assert.Contains("soak [--minutes N (30)]", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("  up       ", stdout, StringComparison.Ordinal); // that command's part only
        AssertNothingRan();
    }

    [Theory]
    [InlineData("test")]
    [InlineData("bench")]
    [InlineData("up")]
    [InlineData("ctl")]
    [InlineData("status")]
    [InlineData("down")]
    [InlineData("images")]
    [InlineData("compose")]
    public void Command_Help_PrintsItsUsageWithoutBuilding(string command)
    {
        var (exit, stdout, stderr) = _script.Run(command, "--help");

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.StartsWith("  " + command.PadRight(9), stdout, StringComparison.Ordinal);
        AssertNothingRan();
    }

    [Fact]
    public void Help_NoCommand_ListsEveryCommand()
    {
        var (exit, stdout, _) = _script.Run("help");

        Assert.Equal(0, exit);
        foreach (var command in new[] { "test", "bench", "perf", "up", "ctl", "status", "down", "images", "compose", "help" })
        {
            Assert.Contains("\n  " + command.PadRight(9), stdout, StringComparison.Ordinal);
        }

        AssertNothingRan();
    }

    [Theory]
    [InlineData("unknown command 'bogus'", "bogus")]
    [InlineData("help: unknown command 'bogus'", "help", "bogus")]
    [InlineData("perf: unknown mode 'bogus'", "perf", "bogus")]
    [InlineData("perf gate: unknown argument '--bogus'", "perf", "gate", "--bogus")]
    [InlineData("perf gate: unknown argument '--bogus'", "perf", "--quick", "--bogus")]
    [InlineData("perf compare: --rate needs a value", "perf", "compare", "--rate")]
    [InlineData("perf soak: unknown argument '--quick'", "perf", "soak", "--quick")]
    [InlineData("perf report: takes no arguments", "perf", "report", "x")]
    [InlineData("perf series: unknown argument '--bogus'", "perf", "series", "--bogus")]
    [InlineData("up: unknown option '--bogus'", "up", "--bogus")]
    [InlineData("status: unknown argument '--bogus'", "status", "--bogus")]
    [InlineData("down: unknown argument 'now'", "down", "now")]
    [InlineData("images: unknown option '--bogus'", "images", "--bogus")]
    [InlineData("compose: unknown option '--bogus'", "compose", "--bogus")]
    public void CommandLine_Wrong_OneLineExitTwoWithoutBuilding(string message, params string[] arguments)
    {
        var (exit, stdout, stderr) = _script.Run(arguments);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(message, line, StringComparison.Ordinal);
        AssertNothingRan();
    }

    public void Dispose() => _script.Dispose();

    private void AssertNothingRan()
    {
        Assert.True(_script.Calls.Length == 0, "the script called: " + _script.Calls);
        Assert.Empty(_script.Created());
    }
}
