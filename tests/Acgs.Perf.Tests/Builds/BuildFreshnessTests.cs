// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.LoadTest.Builds;

namespace Acgs.Perf.Tests.Builds;

public sealed class BuildFreshnessTests
{
    [Fact]
    public void StaleFile_PublishNewerThanEverySource_Null()
    {
        using var repo = new FakeRepository();
        repo.Write(repo.Aot, "native", FakeRepository.Later);

        Assert.Null(BuildFreshness.StaleFile(repo.Aot, Path.Combine(repo.Root, "dataplane/Acgs.Sidecar/Acgs.Sidecar.csproj"), repo.Root));
    }

    [Theory]
    [InlineData("shared/Acgs.Core/Hash.cs")] // a project referenced through another one
    [InlineData("dataplane/Acgs.Sidecar/Forwarding/Forwarder.cs")]
    [InlineData("shared/Acgs.Contracts/Acgs.Contracts.csproj")]
    [InlineData("Directory.Build.props")]
    public void StaleFile_OneInputNewerThanThePublish_NamesIt(string input)
    {
        using var repo = new FakeRepository();
        repo.Write(repo.Aot, "native", FakeRepository.Later);
        repo.Touch(input, FakeRepository.Latest);

        var stale = BuildFreshness.StaleFile(repo.Aot, Path.Combine(repo.Root, "dataplane/Acgs.Sidecar/Acgs.Sidecar.csproj"), repo.Root);

        Assert.NotNull(stale);
        Assert.Contains($"is older than {input}", stale);
    }

    [Fact]
    public void StaleFile_NewerFilesUnderBinObjOrNotInputs_Null()
    {
        using var repo = new FakeRepository();
        repo.Write(repo.Aot, "native", FakeRepository.Later);
        repo.Write("dataplane/Acgs.Sidecar/obj/Release/Generated.cs", "", FakeRepository.Latest);
        repo.Write("dataplane/Acgs.Sidecar/bin/Release/net10.0/Acgs.Sidecar.dll", "", FakeRepository.Latest);
        repo.Write("dataplane/Acgs.Sidecar/README.md", "", FakeRepository.Latest);

        Assert.Null(BuildFreshness.StaleFile(repo.Aot, Path.Combine(repo.Root, "dataplane/Acgs.Sidecar/Acgs.Sidecar.csproj"), repo.Root));
    }

    [Fact]
    public void StaleFile_NoPublish_SaysSo()
    {
        using var repo = new FakeRepository();

        Assert.Equal("dataplane/Acgs.Sidecar/bin/aot/Acgs.Sidecar does not exist",
            BuildFreshness.StaleFile(repo.Aot, Path.Combine(repo.Root, "dataplane/Acgs.Sidecar/Acgs.Sidecar.csproj"), repo.Root));
    }

    [Fact]
    public void StaleOutput_ReferencedAssemblyOlderThanItsSources_NamesIt()
    {
        // The sidecar's own assembly is newer than every source, but Acgs.Core's copy is older than Acgs.Core's sources.
        using var repo = new FakeRepository();
        repo.BuildSidecarJit(FakeRepository.Later);
        repo.Touch(Path.Combine(repo.SidecarJit, "Acgs.Sidecar.dll"), FakeRepository.Latest.AddHours(1));
        repo.Touch("shared/Acgs.Core/Hash.cs", FakeRepository.Latest);

        var stale = BuildFreshness.StaleOutput(repo.SidecarJit, Path.Combine(repo.Root, "dataplane/Acgs.Sidecar/Acgs.Sidecar.csproj"), repo.Root);

        Assert.NotNull(stale);
        Assert.StartsWith("dataplane/Acgs.Sidecar/bin/Release/net10.0/Acgs.Core.dll", stale);
        Assert.Contains("is older than shared/Acgs.Core/Hash.cs", stale);
    }

    [Fact]
    public void StaleOutput_LinkedCompileFileNewer_Stale()
    {
        using var repo = new FakeRepository();
        repo.BuildControlPlane(FakeRepository.Later);
        repo.Touch("dataplane/Acgs.Sidecar/Forwarding/Forwarder.cs", FakeRepository.Latest); // linked into the convergence runner

        var stale = BuildFreshness.StaleOutput(repo.RunnerOutput, Path.Combine(repo.Root, "perf/Acgs.Perf.Convergence/Acgs.Perf.Convergence.csproj"), repo.Root);

        Assert.NotNull(stale);
        Assert.Contains("Acgs.Perf.Convergence.dll", stale);
    }

    [Fact]
    public void StaleOutput_EveryAssemblyNewerThanItsSources_Null()
    {
        using var repo = new FakeRepository();
        repo.BuildControlPlane(FakeRepository.Later);

        Assert.Null(BuildFreshness.StaleOutput(repo.RunnerOutput, Path.Combine(repo.Root, "perf/Acgs.Perf.Convergence/Acgs.Perf.Convergence.csproj"), repo.Root));
    }

    [Fact]
    public void Of_AFile_RecordsPathBuildTimeSizeAndHash()
    {
        using var repo = new FakeRepository();
        var path = repo.Write("dataplane/Acgs.Sidecar/bin/aot/Acgs.Sidecar", "abc", FakeRepository.Later);

        var binary = MeasuredBinary.Of("sidecar", path, "native-aot");
        var json = binary.ToJson();

        Assert.Equal(path, (string)json["path"]!);
        Assert.Equal("native-aot", (string)json["build"]!);
        Assert.Equal("2026-01-01T13:00:00.0000000Z", (string)json["mtime"]!);
        Assert.Equal(3, (long)json["bytes"]!);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", (string)json["sha256"]!);
        Assert.Equal("sidecar: native-aot `dataplane/Acgs.Sidecar/bin/aot/Acgs.Sidecar` (modified 2026-01-01 13:00:00Z, 3 bytes, sha256 ba7816bf8f01cfea)", binary.Describe(repo.Root));
    }
}
