// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Nodes;
using Acgs.Perf.Convergence;
using Acgs.Perf.Tests.Builds;

namespace Acgs.Perf.Tests.Convergence;

public sealed class ControlPlaneBuildTests
{
    [Fact]
    public void Refusal_StaleInProcessControlPlaneUnderBuilt_OneLine()
    {
        using var repo = new FakeRepository();
        repo.BuildControlPlane(FakeRepository.Later);
        repo.Touch("controlplane/Acgs.ControlPlane/StatusPage/wwwroot/status.js", FakeRepository.Latest);

        var refusal = ControlPlaneBuild.Refusal(Args("--watchers", "100"), repo.Root, repo.RunnerOutput, built: true);

        Assert.NotNull(refusal);
        Assert.StartsWith("acgs perf convergence: ACGS_PERF_BUILT=1 but the control plane's build is stale: perf/Acgs.Perf.Convergence/bin/Release/net10.0/Acgs.ControlPlane.dll", refusal);
        Assert.DoesNotContain('\n', refusal);
    }

    [Fact]
    public void Refusal_StaleButNotUnderBuilt_Null()
    {
        using var repo = new FakeRepository();
        repo.BuildControlPlane(FakeRepository.Later);
        repo.Touch("shared/Acgs.Core/Hash.cs", FakeRepository.Latest);

        Assert.Null(ControlPlaneBuild.Refusal(Args("--watchers", "100"), repo.Root, repo.RunnerOutput, built: false));
    }

    [Fact]
    public void Refusal_StaleReplicaBuildUnderBuilt_Refuses()
    {
        // The runner's own output is fresh; the control plane's output the replicas start is not.
        using var repo = new FakeRepository();
        repo.BuildControlPlane(FakeRepository.Later);
        repo.Touch(Path.Combine(repo.ControlPlaneOutput, "Acgs.Core.dll"), FakeRepository.Sources.AddMinutes(-1));

        var refusal = ControlPlaneBuild.Refusal(Args("--watchers", "100", "--replicas", "2"), repo.Root, repo.RunnerOutput, built: true);
        var explicitPath = ControlPlaneBuild.Refusal(Args("--watchers", "100", "--replicas", "2", "--control-plane", "/tmp/cp/Acgs.ControlPlane.dll"), repo.Root, repo.RunnerOutput, built: true);

        Assert.NotNull(refusal);
        Assert.Contains("controlplane/Acgs.ControlPlane/bin/Release/net10.0/Acgs.Core.dll", refusal);
        Assert.Null(explicitPath);
    }

    [Fact]
    public void Refusal_ExplicitControlPlaneAndStaleRunnerCopy_Null()
    {
        // The replicas run the dll named with --control-plane; the runner's own (stale) copy is not measured.
        using var repo = new FakeRepository();
        repo.BuildControlPlane(FakeRepository.Later);
        repo.Touch("controlplane/Acgs.ControlPlane/Acgs.ControlPlane.csproj", FakeRepository.Latest);

        var multi = ControlPlaneBuild.Refusal(Args("--curve", "100", "--replicas", "1,2", "--control-plane", "/tmp/cp/Acgs.ControlPlane.dll"), repo.Root, repo.RunnerOutput, built: true);
        var inProcess = ControlPlaneBuild.Refusal(Args("--curve", "100"), repo.Root, repo.RunnerOutput, built: true);

        Assert.Null(multi);
        Assert.NotNull(inProcess);
    }

    [Fact]
    public void Binaries_ExplicitControlPlane_RecordedAsExplicit()
    {
        using var repo = new FakeRepository();
        var dll = repo.Write("elsewhere/Acgs.ControlPlane.dll", "cp", FakeRepository.Later);

        var binaries = ControlPlaneBuild.Binaries(Args("--watchers", "100", "--replicas", "1", "--control-plane", dll), repo.RunnerOutput);

        var only = Assert.Single(binaries)!.AsObject();
        Assert.Equal("control-plane", (string)only["role"]!);
        Assert.Equal("explicit", (string)only["build"]!);
        Assert.Equal(dll, (string)only["path"]!);
    }

    [Fact]
    public void Markdown_Binaries_NamesTheControlPlaneMeasured()
    {
        var report = new JsonObject
        {
            ["generated_at"] = "2026-01-01T12:00:00Z", ["command"] = "x", ["cores"] = 2,
            ["binaries"] = new JsonArray(new JsonObject
            {
                ["role"] = "control-plane", ["build"] = "jit", ["path"] = "/r/Acgs.ControlPlane.dll", ["mtime"] = "2026-01-01T11:00:00.0000000Z",
                ["bytes"] = 1, ["sha256"] = "0123456789abcdef0123",
            }),
            ["points"] = new JsonArray(),
        };

        Assert.Contains("Control plane measured: control-plane: jit `/r/Acgs.ControlPlane.dll` (modified 2026-01-01T11:00:00.0000000Z, sha256 0123456789abcdef)", CurveReport.Markdown(report));
    }

    private static BenchArguments Args(params string[] args)
    {
        var parsed = BenchArguments.Parse(args, out var problems);
        Assert.Empty(problems);
        return parsed;
    }
}
