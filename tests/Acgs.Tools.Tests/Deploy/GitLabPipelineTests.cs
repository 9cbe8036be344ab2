// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.RegularExpressions;
using Acgs.Tools.Tests.HashCompliance;
using YamlDotNet.RepresentationModel;

namespace Acgs.Tools.Tests.Deploy;

/// <summary>.gitlab-ci.yml parsed as YAML: the seed's six stages, every job in a declared stage, needs that exist, and
/// script lines that call files of the repository.</summary>
public sealed partial class GitLabPipelineTests
{
    private static readonly string[] Keywords = ["stages", "include", "default", "variables", "cache", "workflow"];
    private static readonly YamlMappingNode Pipeline = YamlFile.Load(".gitlab-ci.yml");

    private static IEnumerable<(string Name, YamlNode Job)> Jobs
        => Pipeline.Entries().Where(e => !Keywords.Contains(e.Key) && !e.Key.StartsWith('.'));

    [Fact]
    public void Stages_SeedStagesInOrder_ThenThePerfStages()
    {
        Assert.Equal(["validate", "security", "build", "test", "deploy", "rollback", "perf", "perf-report"], Pipeline.Child("stages").Strings());
    }

    [Fact]
    public void Jobs_EveryJob_HasADeclaredStageAndEveryStageHasAJob()
    {
        var stages = Pipeline.Child("stages").Strings();
        var used = new HashSet<string>();
        foreach (var (name, job) in Jobs)
        {
            var stage = job.Text("stage");
            Assert.True(stage is not null && stages.Contains(stage), $"job {name}: stage '{stage}' is not one of the declared stages");
            used.Add(stage!);
        }

        Assert.Equal(stages.Order(), used.Order());
    }

    [Fact]
    public void Needs_EveryNeed_IsAJobOfTheSameOrAnEarlierStage()
    {
        var stages = Pipeline.Child("stages").Strings().ToList();
        var jobStage = Jobs.ToDictionary(j => j.Name, j => stages.IndexOf(j.Job.Text("stage")!));
        foreach (var (name, job) in Jobs)
        {
            foreach (var need in job.Child("needs").Strings())
            {
                Assert.True(jobStage.TryGetValue(need, out var needStage), $"job {name} needs '{need}', which is not a job of the pipeline");
                Assert.True(needStage <= jobStage[name], $"job {name} needs '{need}' of a later stage");
            }
        }
    }

    [Fact]
    public void Security_TemplatesScanners_AreIncludedAndBlock()
    {
        var templates = ((YamlSequenceNode)Pipeline.Child("include")!).Children.Select(i => i.Text("template")).ToList();
        Assert.Contains("Jobs/SAST.gitlab-ci.yml", templates);
        Assert.Contains("Jobs/Secret-Detection.gitlab-ci.yml", templates);
        Assert.Contains("Jobs/Container-Scanning.gitlab-ci.yml", templates);
        foreach (var job in new[] { "sast", "secret_detection", "container_scanning" })
        {
            Assert.Equal("false", Pipeline.Child(job)!.Text("allow_failure"));
        }

        Assert.Equal("security", Pipeline.Child("sast")!.Text("stage"));
        Assert.Equal("HIGH", Pipeline.Child("variables")!.Text("CS_SEVERITY_THRESHOLD"));
        Assert.Contains("container_scanning", Pipeline.Child("deploy")!.Child("needs").Strings());
    }

    [Fact]
    public void Test_ReportsJUnitXml_ThroughJunitXmlTestLogger()
    {
        var test = Pipeline.Child("test")!;
        Assert.Contains(test.Child("script").Strings(), l => l.Contains("--logger \"junit;", StringComparison.Ordinal));
        Assert.Equal("TestResults/*.xml", test.Child("artifacts")!.Child("reports")!.Text("junit"));
        var packages = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Directory.Packages.props"));
        Assert.Contains("<PackageVersion Include=\"JunitXml.TestLogger\"", packages, StringComparison.Ordinal);
        var props = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Directory.Build.props"));
        Assert.Contains("<PackageReference Include=\"JunitXml.TestLogger\"", props, StringComparison.Ordinal);
    }

    [Fact]
    public void Rollback_RunsWhenTheDeployFails_AndOnDemand()
    {
        var automatic = Pipeline.Child("rollback")!;
        var manual = Pipeline.Child("rollback-manual")!;
        Assert.Equal(["deploy"], automatic.Child("needs").Strings());
        Assert.Equal("on_failure", ((YamlSequenceNode)automatic.Child("rules")!).Children[0].Text("when"));
        Assert.Equal("manual", ((YamlSequenceNode)manual.Child("rules")!).Children[0].Text("when"));
        Assert.Contains("bash deploy/ci/deploy.sh", Pipeline.Child("deploy")!.Child("script").Strings());
    }

    [Fact]
    public void Scripts_EveryRepositoryPathTheyCall_Exists()
    {
        var checkedPaths = 0;
        foreach (var (name, job) in Jobs.Append(("default", Pipeline.Child("default")!)))
        {
            var lines = job.Child("script").Strings().Concat(job.Child("before_script").Strings());
            var matrix = (job.Child("parallel")?.Child("matrix") as YamlSequenceNode)?.Children.SelectMany(m => m.Entries()) ?? [];
            foreach (var line in lines.Concat(matrix.Where(e => e.Key == "DOCKERFILE").Select(e => ((YamlScalarNode)e.Value).Value!)))
            {
                foreach (Match path in RepositoryPath().Matches(line))
                {
                    var relative = path.Value.StartsWith("./", StringComparison.Ordinal) ? path.Value[2..] : path.Value;
                    if (relative.Contains('*', StringComparison.Ordinal))
                    {
                        var dir = Path.Combine(RepositoryRoot.Path, Path.GetDirectoryName(relative)!);
                        Assert.True(Directory.EnumerateFiles(dir, Path.GetFileName(relative)).Any(), $"job {name}: '{line}' names {relative}, which matches nothing");
                    }
                    else
                    {
                        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, relative)), $"job {name}: '{line}' calls {relative}, which does not exist");
                    }

                    checkedPaths++;
                }
            }
        }

        Assert.True(checkedPaths >= 15, $"only {checkedPaths} repository paths found in the scripts");
    }

    // ./acgs, Acgs.sln, Dockerfile.*, and paths under the repository's top-level folders
    [GeneratedRegex(@"(?<![\w/$.-])(\./acgs\b|Acgs\.sln|Dockerfile\.[a-z]+|(?:deploy|docs|perf|tests|controlplane|dataplane|shared)/[\w./*-]+)")]
    private static partial Regex RepositoryPath();
}
