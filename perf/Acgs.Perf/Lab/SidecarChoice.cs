// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.LoadTest.Builds;

namespace Acgs.Perf.Lab;

/// <summary>The sidecar build a run measures, chosen before anything starts: <c>ACGS_PERF_SIDECAR_BINARY</c> when set (the
/// user's choice: recorded, never checked); with <c>--jit</c> the JIT build; else the Native AOT publish (what the container
/// image runs) when it is at least as new as every source it is built from (<see cref="BuildFreshness"/>). When it is not:
/// under <c>ACGS_PERF_BUILT=1</c> (nothing was built or published for this run) the run is refused, since it would measure
/// a binary that is not the code; otherwise (the publish just ran and failed) the JIT build is measured and the report says so.</summary>
/// <param name="Binary">The file to start (a native executable, or a .dll run with dotnet).</param>
/// <param name="Build"><c>native-aot</c>, <c>jit</c> or <c>other</c> (<c>ACGS_PERF_SIDECAR_BINARY</c>).</param>
/// <param name="Note">What was chosen and why, for the report.</param>
/// <param name="Refusal">The one line to print before exiting 2 instead of measuring, or null.</param>
internal sealed record SidecarChoice(string Binary, string Build, string Note, string? Refusal)
{
    /// <summary>The runner's environment variable <c>./acgs perf</c> passes on: 1 when this run built and published nothing.</summary>
    public const string BuiltVariable = "ACGS_PERF_BUILT";

    /// <summary>The sidecar's project, relative to the root.</summary>
    public const string ProjectPath = "dataplane/Acgs.Sidecar/Acgs.Sidecar.csproj";

    /// <summary>The build kind for <see cref="MeasuredBinary"/>: <c>explicit</c> for a binary the user named.</summary>
    public string MeasuredBuild => Build == "other" ? "explicit" : Build;

    /// <summary>True when the runner's environment says nothing was built for this run (<c>ACGS_PERF_BUILT=1</c>).</summary>
    public static bool BuiltAlready() => Environment.GetEnvironmentVariable(BuiltVariable) == "1";

    /// <summary>Chooses the sidecar build (see the type's summary); <paramref name="jitDll"/> is the JIT build's entry assembly,
    /// <paramref name="explicitBinary"/> the value of <c>ACGS_PERF_SIDECAR_BINARY</c>.</summary>
    public static SidecarChoice Resolve(string root, string jitDll, bool jit, bool built, string? explicitBinary)
    {
        if (!string.IsNullOrEmpty(explicitBinary))
        {
            return new(explicitBinary, "other", $"sidecar binary: {explicitBinary} (named by {PerfLab.SidecarBinaryVariable}; not checked against the sources)", null);
        }

        var project = Path.Combine(root, ProjectPath);
        if (jit)
        {
            var staleJit = built ? BuildFreshness.StaleOutput(Path.GetDirectoryName(jitDll)!, project, root) : null;
            return staleJit is null
                ? new(jitDll, "jit", "sidecar: JIT build (--jit)", null)
                : new(jitDll, "jit", "", $"{BuiltVariable}=1 but the sidecar's JIT build is stale: {staleJit}; run without {BuiltVariable}=1 (it builds), or build first (dotnet build Acgs.sln -c Release)");
        }

        var aot = Path.Combine(root, PerfLab.SidecarAotPath);
        var stale = BuildFreshness.StaleFile(aot, project, root);
        if (stale is null)
        {
            return new(aot, "native-aot", "sidecar: Native AOT build", null);
        }

        return built
            ? new(aot, "native-aot", "", $"{BuiltVariable}=1 but the sidecar's Native AOT publish is missing or stale: {stale}; run without {BuiltVariable}=1 (it builds and publishes), or publish first (dotnet publish {ProjectPath} -c Release -r linux-x64 -p:PublishAot=true -o {Path.GetDirectoryName(PerfLab.SidecarAotPath)}), or measure the JIT build with --jit")
            : new(jitDll, "jit", $"sidecar: JIT build, NOT the Native AOT build it ships as ({stale}: the publish failed?)", null);
    }
}
