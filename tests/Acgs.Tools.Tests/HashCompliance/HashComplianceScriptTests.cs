// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Tools.Tests.HashCompliance;

/// <summary>Runs the real <c>deploy/ci/hash-compliance.sh</c> on trees built by the test.</summary>
public sealed class HashComplianceScriptTests : IDisposable
{
    private const string Label = "Constitutional Hash: ";
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void Check_CleanTree_Passes()
    {
        var result = _tree.Check();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("6 files checked, 0 missing the mark, 0 with a wrong hash", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongHash_IsSixteenHexDigitsAndNotTheExpectedOne()
    {
        var wrong = TempTree.WrongHash();

        Assert.Equal(16, wrong.Length);
        Assert.All(wrong, c => Assert.True(char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)));
        Assert.NotEqual(TempTree.Expected, wrong);
    }

    [Fact]
    public void Check_WrongHashInYamlComment_FailsNamingTheFile()
    {
        _tree.Write("deploy/k8s/bad.yaml", $"# {Label}{TempTree.Expected}\n# {Label}{TempTree.WrongHash()}\nkind: Service\n");

        AssertFails(_tree.Check(), "WRONG    deploy/k8s/bad.yaml:2");
    }

    [Fact]
    public void Check_WrongHashInYamlField_FailsNamingTheFile()
    {
        _tree.Write("deploy/compose.yml", $"# {Label}{TempTree.Expected}\nenv:\n  CONSTITUTIONAL_HASH: \"{TempTree.WrongHash(0)}\"\n");

        AssertFails(_tree.Check(), "WRONG    deploy/compose.yml:3");
    }

    [Fact]
    public void Check_WrongHashInJsonField_FailsNamingTheFile()
    {
        _tree.Write("config/bad.json", $"{{\n  \"name\": \"x\",\n  \"constitutional_hash\": \"{TempTree.WrongHash(7)}\"\n}}\n");

        var result = _tree.Check();

        AssertFails(result, "WRONG    config/bad.json:3");
        Assert.Contains("MISSING  config/bad.json", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_WrongHashInNestedJsonFieldBesideTheRightOne_Fails()
    {
        _tree.Write("config/nested.json", $"{{\n  \"constitutional_hash\": \"{TempTree.Expected}\",\n  \"policy\": {{ \"constitutional_hash\": \"{TempTree.WrongHash(3)}\" }}\n}}\n");

        AssertFails(_tree.Check(), "WRONG    config/nested.json:3");
    }

    [Fact]
    public void Check_WrongHashInCSharpComment_FailsNamingTheFile()
    {
        _tree.Write("src/Bad.cs", $"// {Label}{TempTree.Expected}\n\nnamespace X;\n\n// {Label}{TempTree.WrongHash(10)}\n");

        AssertFails(_tree.Check(), "WRONG    src/Bad.cs:5");
    }

    [Fact]
    public void Check_OnlyAWrongHashInCSharpFile_FailsAsMissingAndWrong()
    {
        _tree.Write("src/Other.cs", $"// {Label}{TempTree.WrongHash()}\n\nnamespace X;\n");

        var result = _tree.Check();

        AssertFails(result, "WRONG    src/Other.cs:1");
        Assert.Contains("MISSING  src/Other.cs", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_UppercaseHash_Fails()
    {
        _tree.Write("deploy/upper.yaml", $"# {Label}{TempTree.Expected}\n# {Label}{TempTree.Expected.ToUpperInvariant()}\n");

        AssertFails(_tree.Check(), "WRONG    deploy/upper.yaml:2");
    }

    [Theory]
    [InlineData("deploy/k8s/unmarked.yaml", "kind: Service\n")]
    [InlineData("src/Unmarked.cs", "namespace X;\n")]
    [InlineData("docs/unmarked.md", "# Title\n")]
    [InlineData("Dockerfile.extra", "FROM scratch\n")]
    [InlineData("tool", "#!/usr/bin/env bash\necho hi\n")]
    public void Check_FileWithoutTheComment_FailsNamingTheFile(string path, string content)
    {
        _tree.Write(path, content);

        AssertFails(_tree.Check(), "MISSING  " + path);
    }

    [Fact]
    public void Check_JsonWithoutTheField_FailsNamingTheFile()
    {
        _tree.Write("config/unmarked.json", "{\n  \"name\": \"x\"\n}\n");

        AssertFails(_tree.Check(), "MISSING  config/unmarked.json");
    }

    [Fact]
    public void Check_JsonWithTheHashOnlyAsAComment_Fails()
    {
        _tree.Write("config/comment.json", $"{{\n  \"note\": \"{Label}{TempTree.Expected}\"\n}}\n");

        AssertFails(_tree.Check(), "MISSING  config/comment.json");
    }

    [Fact]
    public void Check_BuildOutputFolders_AreSkipped()
    {
        _tree.Write("src/bin/Debug/generated.json", "{}\n");
        _tree.Write("src/obj/project.assets.json", "{}\n");
        _tree.Write("perf/Bench/BenchmarkDotNet.Artifacts/results/report.md", "# no mark\n");
        _tree.Write("tests/X/TestResults/run.md", "# no mark\n");

        var result = _tree.Check();

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary>Exit code 1 and a report line starting with <paramref name="line"/> (kind, file, line number).</summary>
    private static void AssertFails(ScriptResult result, string line)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("\n" + line, "\n" + result.Output, StringComparison.Ordinal);
    }
}
