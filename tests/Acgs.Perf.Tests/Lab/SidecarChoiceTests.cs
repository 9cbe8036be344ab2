// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Perf.Lab;
using Acgs.Perf.Tests.Builds;

namespace Acgs.Perf.Tests.Lab;

public sealed class SidecarChoiceTests
{
    [Fact]
    public void Resolve_StalePublishUnderBuilt_RefusesNamingTheNewerSource()
    {
        using var repo = new FakeRepository();
        repo.Write(repo.Aot, "native", FakeRepository.Later);
        repo.BuildSidecarJit(FakeRepository.Latest);
        repo.Touch("shared/Acgs.Contracts/Snapshot.cs", FakeRepository.Latest);

        var choice = Resolve(repo, jit: false, built: true);

        Assert.NotNull(choice.Refusal);
        Assert.StartsWith("ACGS_PERF_BUILT=1 but the sidecar's Native AOT publish is missing or stale: dataplane/Acgs.Sidecar/bin/aot/Acgs.Sidecar (2026-01-01 13:00:00Z) is older than shared/Acgs.Contracts/Snapshot.cs", choice.Refusal);
        Assert.Contains("run without ACGS_PERF_BUILT=1", choice.Refusal);
        Assert.DoesNotContain('\n', choice.Refusal);
    }

    [Fact]
    public void Resolve_MissingPublishUnderBuilt_Refuses()
    {
        using var repo = new FakeRepository();
        repo.BuildSidecarJit(FakeRepository.Later);

        var choice = Resolve(repo, jit: false, built: true);

        Assert.NotNull(choice.Refusal);
        Assert.Contains("bin/aot/Acgs.Sidecar does not exist", choice.Refusal);
    }

    [Fact]
    public void Resolve_FreshPublishOlderThanTheJitBuild_NativeAot()
    {
        // The JIT build rebuilt after the publish without a source change (a clean, other properties): the publish still
        // matches the sources, and it is what is measured.
        using var repo = new FakeRepository();
        repo.Write(repo.Aot, "native", FakeRepository.Later);
        repo.BuildSidecarJit(FakeRepository.Latest);

        var choice = Resolve(repo, jit: false, built: true);

        Assert.Null(choice.Refusal);
        Assert.Equal(repo.Aot, choice.Binary);
        Assert.Equal("native-aot", choice.Build);
    }

    [Fact]
    public void Resolve_StalePublishWithoutBuilt_JitBuildAndSaysSo()
    {
        using var repo = new FakeRepository();
        repo.Write(repo.Aot, "native", FakeRepository.Later);
        repo.BuildSidecarJit(FakeRepository.Latest);
        repo.Touch("dataplane/Acgs.Sidecar/Forwarding/Forwarder.cs", FakeRepository.Latest);

        var choice = Resolve(repo, jit: false, built: false);

        Assert.Null(choice.Refusal);
        Assert.Equal("jit", choice.Build);
        Assert.EndsWith("Acgs.Sidecar.dll", choice.Binary);
        Assert.Contains("NOT the Native AOT build", choice.Note);
    }

    [Fact]
    public void Resolve_ExplicitBinaryUnderBuilt_RecordedNotChecked()
    {
        using var repo = new FakeRepository();
        repo.Touch("shared/Acgs.Core/Hash.cs", FakeRepository.Latest); // no publish, no build, a newer source: none of it matters

        var choice = SidecarChoice.Resolve(repo.Root, Path.Combine(repo.SidecarJit, "Acgs.Sidecar.dll"), jit: false, built: true, explicitBinary: "/tmp/main/Acgs.Sidecar");

        Assert.Null(choice.Refusal);
        Assert.Equal("/tmp/main/Acgs.Sidecar", choice.Binary);
        Assert.Equal("explicit", choice.MeasuredBuild);
    }

    [Fact]
    public void Resolve_JitUnderBuiltWithAStaleAssembly_Refuses()
    {
        using var repo = new FakeRepository();
        repo.Write(repo.Aot, "native", FakeRepository.Latest);
        repo.BuildSidecarJit(FakeRepository.Later);
        repo.Touch("shared/Acgs.Core/Hash.cs", FakeRepository.Latest);

        var stale = Resolve(repo, jit: true, built: true);
        var notBuilt = Resolve(repo, jit: true, built: false);

        Assert.NotNull(stale.Refusal);
        Assert.Contains("JIT build is stale: dataplane/Acgs.Sidecar/bin/Release/net10.0/Acgs.Core.dll", stale.Refusal);
        Assert.Null(notBuilt.Refusal);
        Assert.Equal("jit", notBuilt.Build);
    }

    [Fact]
    public async Task Runner_StalePublishUnderBuilt_OneLineExit2AndNoResults()
    {
        using var repo = new FakeRepository();
        repo.Write(repo.Aot, "native", FakeRepository.Later);
        repo.BuildSidecarJit(FakeRepository.Latest);
        repo.Touch("dataplane/Acgs.Sidecar/Acgs.Sidecar.csproj", FakeRepository.Latest);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[typeof(SidecarChoice).Assembly.Location, "gate", "--root", repo.Root])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ACGS_PERF_BUILT"] = "1";
        start.Environment.Remove("ACGS_PERF_SIDECAR_BINARY");
        start.Environment["ACGS_CONFIGURATION"] = "Release";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the runner did not exit within two minutes");
        process.WaitForExit();

        Assert.Equal(2, process.ExitCode);
        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("acgs perf: ACGS_PERF_BUILT=1 but the sidecar's Native AOT publish is missing or stale:", lines[0]);
        Assert.Equal("", await stdout);
        Assert.False(Directory.Exists(Path.Combine(repo.Root, "perf", "results")), "a refused run wrote results");
    }

    private static SidecarChoice Resolve(FakeRepository repo, bool jit, bool built) =>
        SidecarChoice.Resolve(repo.Root, Path.Combine(repo.SidecarJit, "Acgs.Sidecar.dll"), jit, built, explicitBinary: null);
}
