// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Nodes;
using Acgs.LoadTest.Builds;
using Acgs.Perf.Convergence.Multi;

namespace Acgs.Perf.Convergence;

/// <summary>
/// Which control-plane build a convergence run measures, and whether it matches the sources. The in-process mode runs the
/// control plane inside this runner (the copy of <c>Acgs.ControlPlane.dll</c> in its own build output); the multi-process
/// modes start <c>controlplane/Acgs.ControlPlane</c>'s build output, or the dll named with <c>--control-plane</c> (the user's
/// choice: recorded, never checked). Under <c>ACGS_PERF_BUILT=1</c> (<c>./acgs perf convergence</c> built nothing) a build
/// older than its sources is refused before anything starts (<see cref="BuildFreshness.StaleOutput"/>), so that a figure
/// is never one of a control plane that is not the code.
/// </summary>
internal static class ControlPlaneBuild
{
    /// <summary>The line to print before exiting 2 instead of running, or null. <paramref name="runnerDirectory"/> is this
    /// runner's build output, <paramref name="built"/> whether <c>ACGS_PERF_BUILT=1</c>.</summary>
    public static string? Refusal(BenchArguments args, string root, string runnerDirectory, bool built)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!built || args.Has("--watcher-process"))
        {
            return null;
        }

        // In-process points measure the copy of the control plane in this runner's own output.
        var stale = InProcess(args) ? BuildFreshness.StaleOutput(runnerDirectory, Path.Combine(root, "perf", "Acgs.Perf.Convergence", "Acgs.Perf.Convergence.csproj"), root) : null;
        if (stale is null && args.MultiProcess && !args.Has("--control-plane"))
        {
            // The replicas' default build (MultiLab.ControlPlaneDll): the control plane's output in this runner's configuration.
            var configuration = new DirectoryInfo(runnerDirectory).Parent?.Name ?? "Release";
            var output = Path.Combine(root, "controlplane", "Acgs.ControlPlane", "bin", configuration, "net10.0");
            stale = File.Exists(Path.Combine(output, "Acgs.ControlPlane.dll"))
                ? BuildFreshness.StaleOutput(output, Path.Combine(root, "controlplane", "Acgs.ControlPlane", "Acgs.ControlPlane.csproj"), root)
                : null; // not built at all: the multi-process mode says so itself
        }

        return stale is null ? null
            : $"acgs perf convergence: ACGS_PERF_BUILT=1 but the control plane's build is stale: {stale}; run without ACGS_PERF_BUILT=1 (it builds), or build first (dotnet build perf/Acgs.Perf.Convergence -c Release)";
    }

    /// <summary>The control-plane binaries this run measures (path, build, modification time, hash), for its JSON.</summary>
    public static JsonArray Binaries(BenchArguments args, string runnerDirectory)
    {
        ArgumentNullException.ThrowIfNull(args);
        var binaries = new JsonArray();
        if (InProcess(args))
        {
            Add(binaries, "control-plane (in-process)", Path.Combine(runnerDirectory, "Acgs.ControlPlane.dll"), "jit");
        }

        if (args.MultiProcess && MultiLab.ControlPlaneDll(args) is { } dll)
        {
            Add(binaries, "control-plane", dll, args.Has("--control-plane") ? "explicit" : "jit");
        }

        return binaries;
    }

    // Whether some point runs the control plane inside this runner: a curve without --replicas, or one point without
    // --replicas or --storm.
    private static bool InProcess(BenchArguments args) => args.Has("--curve") ? args.Replicas.Count == 0 : !args.MultiProcess;

    private static void Add(JsonArray binaries, string role, string path, string build)
    {
        if (File.Exists(path))
        {
            binaries.Add(MeasuredBinary.Of(role, path, build).ToJson());
        }
    }
}
