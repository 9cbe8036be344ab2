// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Tests.Transparent;

/// <summary>Paths in the repository checkout the tests run from.</summary>
internal static class RepositoryPaths
{
    /// <summary>The repository root (the directory holding Acgs.sln).</summary>
    public static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Acgs.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    /// <summary>deploy/iptables/acgs-iptables.sh.</summary>
    public static string IptablesScript() => Path.Combine(Root(), "deploy", "iptables", "acgs-iptables.sh");

    /// <summary>A golden file of these tests.</summary>
    public static string Golden(string name) => Path.Combine(Root(), "tests", "Acgs.Sidecar.Tests", "Transparent", "Golden", name);

    /// <summary>
    /// The sidecar to run: <c>ACGS_TEST_SIDECAR_BINARY</c> when set (e.g. the Native AOT build,
    /// dataplane/Acgs.Sidecar/bin/aot/Acgs.Sidecar), else the build output of the configuration these
    /// tests were built with (Acgs.Sidecar.dll, run with <c>dotnet</c>).
    /// </summary>
    public static string SidecarAssembly()
    {
        if (Environment.GetEnvironmentVariable("ACGS_TEST_SIDECAR_BINARY") is { Length: > 0 } binary)
        {
            return File.Exists(binary) ? Path.GetFullPath(binary) : throw new InvalidOperationException("ACGS_TEST_SIDECAR_BINARY: " + binary + " does not exist");
        }

        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(Root(), "dataplane", "Acgs.Sidecar", "bin", configuration, "net10.0", "Acgs.Sidecar.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException(path + " is not built");
    }
}
