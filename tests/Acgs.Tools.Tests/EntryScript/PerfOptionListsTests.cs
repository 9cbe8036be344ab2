// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.RegularExpressions;
using Acgs.Tools.Tests.HashCompliance;

namespace Acgs.Tools.Tests.EntryScript;

/// <summary>
/// <c>./acgs perf</c> refuses an unknown option before it builds, from its own lists of the runner's options: every
/// option the runner's parsers know must be in those lists, or the script would refuse a valid command line.
/// </summary>
public sealed partial class PerfOptionListsTests
{
    [Fact]
    public void PerfOptions_EveryRunnerOption_KnownToTheScript()
    {
        var script = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "acgs"));
        var known = (List("PERF_VALUED_OPTIONS", script) + " " + List("PERF_FLAG_OPTIONS", script)).Split(' ');
        var parser = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "perf", "Acgs.Perf", "Settings", "PerfSettings.cs"));

        var options = CaseOption().Matches(parser).Select(m => m.Groups[1].Value).ToList();

        Assert.Contains("--ci", options);
        Assert.All(options, o => Assert.Contains(o, known));
    }

    [Fact]
    public void SoakOptions_EveryRunnerOption_KnownToTheScript()
    {
        var script = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "acgs"));
        var known = List("PERF_SOAK_OPTIONS", script).Split(' ');
        var parser = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "perf", "Acgs.Perf", "Soak", "SoakSettings.cs"));

        var options = SwitchOption().Matches(parser).Select(m => m.Groups[1].Value).ToList();

        Assert.Contains("--minutes", options);
        Assert.All(options, o => Assert.Contains(o, known));
    }

    private static string List(string name, string script)
    {
        var match = Regex.Match(script, $"^{name}=\"([^\"]*)\"$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no {name}=\"...\" line in ./acgs");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("case \"(--[a-z-]+)\":")]
    private static partial Regex CaseOption();

    [GeneratedRegex("\"(--[a-z-]+)\" =>")]
    private static partial Regex SwitchOption();
}
