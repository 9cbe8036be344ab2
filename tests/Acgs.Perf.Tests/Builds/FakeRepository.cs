// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Tests.Builds;

/// <summary>A temporary repository of the shape the perf runners look at (an <c>Acgs.sln</c>, the sidecar and the control
/// plane with the projects they reference, their build outputs), every file with a modification time set by the test:
/// <see cref="Sources"/> for the sources, later times for the outputs.</summary>
internal sealed class FakeRepository : IDisposable
{
    /// <summary>The modification time of every source file unless a test sets another.</summary>
    public static readonly DateTime Sources = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>An hour after <see cref="Sources"/>: a build newer than every source.</summary>
    public static readonly DateTime Later = Sources.AddHours(1);

    /// <summary>Two hours after <see cref="Sources"/>: a source touched after a <see cref="Later"/> build.</summary>
    public static readonly DateTime Latest = Sources.AddHours(2);

    public FakeRepository()
    {
        Write("Acgs.sln", "", Sources);
        Write("Directory.Build.props", "<Project />", Sources);
        Write("shared/Acgs.Core/Acgs.Core.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />", Sources);
        Write("shared/Acgs.Core/Hash.cs", "class Hash {}", Sources);
        Write("shared/Acgs.Contracts/Acgs.Contracts.csproj", Project(@"..\Acgs.Core\Acgs.Core.csproj"), Sources);
        Write("shared/Acgs.Contracts/Snapshot.cs", "class Snapshot {}", Sources);
        Write("dataplane/Acgs.Sidecar/Acgs.Sidecar.csproj", Project(@"..\..\shared\Acgs.Contracts\Acgs.Contracts.csproj", "<PropertyGroup><AssemblyName>Acgs.Sidecar</AssemblyName></PropertyGroup>"), Sources);
        Write("dataplane/Acgs.Sidecar/Forwarding/Forwarder.cs", "class Forwarder {}", Sources);
        Write("controlplane/Acgs.ControlPlane/Acgs.ControlPlane.csproj", Project(@"..\..\shared\Acgs.Core\Acgs.Core.csproj"), Sources);
        Write("controlplane/Acgs.ControlPlane/StatusPage/wwwroot/status.js", "", Sources);
        Write("perf/Acgs.Perf.Convergence/Acgs.Perf.Convergence.csproj",
            Project(@"..\..\controlplane\Acgs.ControlPlane\Acgs.ControlPlane.csproj", @"<ItemGroup><Compile Include=""..\..\dataplane\Acgs.Sidecar\Forwarding\Forwarder.cs"" Link=""Linked\Forwarder.cs"" /></ItemGroup>"), Sources);
        Write("perf/Acgs.Perf.Convergence/Program.cs", "", Sources);
    }

    public string Root { get; } = Directory.CreateTempSubdirectory("acgs-freshness-").FullName;

    /// <summary>The Native AOT publish's path.</summary>
    public string Aot => Path.Combine(Root, "dataplane/Acgs.Sidecar/bin/aot/Acgs.Sidecar");

    /// <summary>The sidecar's JIT build output folder.</summary>
    public string SidecarJit => Path.Combine(Root, "dataplane/Acgs.Sidecar/bin/Release/net10.0");

    /// <summary>The convergence runner's build output folder (the in-process control plane is a copy in it).</summary>
    public string RunnerOutput => Path.Combine(Root, "perf/Acgs.Perf.Convergence/bin/Release/net10.0");

    /// <summary>The control plane's own build output folder (the replicas' default).</summary>
    public string ControlPlaneOutput => Path.Combine(Root, "controlplane/Acgs.ControlPlane/bin/Release/net10.0");

    /// <summary>Writes <paramref name="relative"/> under the root with the modification time <paramref name="modified"/>.</summary>
    public string Write(string relative, string content, DateTime modified)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        File.SetLastWriteTimeUtc(path, modified);
        return path;
    }

    /// <summary>Sets an existing file's modification time.</summary>
    public void Touch(string relative, DateTime modified) => File.SetLastWriteTimeUtc(Path.Combine(Root, relative), modified);

    /// <summary>Writes the sidecar's JIT build (its assembly and those of the projects it references) at <paramref name="modified"/>.</summary>
    public void BuildSidecarJit(DateTime modified)
    {
        foreach (var name in (string[])["Acgs.Sidecar", "Acgs.Contracts", "Acgs.Core"])
        {
            Write(Path.Combine(SidecarJit, name + ".dll"), name, modified);
        }
    }

    /// <summary>Writes the convergence runner's and the control plane's build outputs at <paramref name="modified"/>.</summary>
    public void BuildControlPlane(DateTime modified)
    {
        foreach (var name in (string[])["Acgs.Perf.Convergence", "Acgs.ControlPlane", "Acgs.Core"])
        {
            Write(Path.Combine(RunnerOutput, name + ".dll"), name, modified);
        }

        foreach (var name in (string[])["Acgs.ControlPlane", "Acgs.Core"])
        {
            Write(Path.Combine(ControlPlaneOutput, name + ".dll"), name, modified);
        }
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static string Project(string reference, string extra = "") =>
        $"<Project Sdk=\"Microsoft.NET.Sdk\">{extra}<ItemGroup><ProjectReference Include=\"{reference}\" /></ItemGroup></Project>";
}
