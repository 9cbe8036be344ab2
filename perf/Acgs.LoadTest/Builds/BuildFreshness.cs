// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Xml.Linq;

namespace Acgs.LoadTest.Builds;

/// <summary>
/// Whether a build output is at least as new as the sources it is built from, by file modification times: a project's
/// inputs are its <c>*.cs</c>, <c>*.csproj</c> and embedded web files (<c>*.resx</c>, <c>*.html</c>, <c>*.css</c>,
/// <c>*.js</c>) under its folder (not <c>bin/</c>, <c>obj/</c> or hidden folders), the files it links with
/// <c>&lt;Compile Include="..."&gt;</c>, and the <c>Directory.Build.props</c>/<c>.targets</c> and
/// <c>Directory.Packages.props</c> from its folder up to the repository root; a build is made of its project and every
/// project it references. Only files whose change makes MSBuild compile again are inputs, so that building (or
/// publishing) again always clears a stale verdict. Comparing with the sources rather than with another build output
/// keeps the answer right when that other output was rebuilt without a change (a clean, a build with other
/// properties): an incremental publish then changes nothing, and the publish is still as new as its sources.
/// </summary>
public static class BuildFreshness
{
    private static readonly string[] SourceExtensions = [".cs", ".csproj", ".resx", ".html", ".css", ".js"];
    private static readonly string[] DirectoryInputs = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props"];

    /// <summary>The project and every project it references, directly or not (full paths, each once).</summary>
    public static IReadOnlyList<string> ProjectClosure(string csproj)
    {
        ArgumentNullException.ThrowIfNull(csproj);
        var seen = new List<string>();
        var pending = new Queue<string>([Path.GetFullPath(csproj)]);
        while (pending.TryDequeue(out var project))
        {
            if (seen.Contains(project, StringComparer.Ordinal) || !File.Exists(project))
            {
                continue;
            }

            seen.Add(project);
            foreach (var reference in Includes(project, "ProjectReference"))
            {
                pending.Enqueue(reference);
            }
        }

        return seen;
    }

    /// <summary>The input files of one project (not of the projects it references).</summary>
    public static IEnumerable<string> Inputs(string csproj, string root)
    {
        ArgumentNullException.ThrowIfNull(csproj);
        ArgumentNullException.ThrowIfNull(root);
        var folder = Path.GetDirectoryName(Path.GetFullPath(csproj))!;
        foreach (var file in SourceFiles(folder))
        {
            yield return file;
        }

        foreach (var linked in Includes(csproj, "Compile"))
        {
            if (File.Exists(linked))
            {
                yield return linked;
            }
        }

        var top = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        for (var directory = new DirectoryInfo(folder); directory is not null; directory = directory.Parent)
        {
            foreach (var name in DirectoryInputs)
            {
                var path = Path.Combine(directory.FullName, name);
                if (File.Exists(path))
                {
                    yield return path;
                }
            }

            if (string.Equals(directory.FullName.TrimEnd(Path.DirectorySeparatorChar), top, StringComparison.Ordinal))
            {
                break;
            }
        }
    }

    /// <summary>The newest input of <paramref name="projects"/>, or null when they have none.</summary>
    public static (string Path, DateTime LastWriteUtc)? Newest(IEnumerable<string> projects, string root)
    {
        ArgumentNullException.ThrowIfNull(projects);
        (string Path, DateTime LastWriteUtc)? newest = null;
        foreach (var project in projects)
        {
            foreach (var file in Inputs(project, root))
            {
                var time = File.GetLastWriteTimeUtc(file);
                if (newest is null || time > newest.Value.LastWriteUtc)
                {
                    newest = (file, time);
                }
            }
        }

        return newest;
    }

    /// <summary>Why the single-file output <paramref name="binary"/> (a Native AOT publish) does not match the sources of
    /// <paramref name="csproj"/> and the projects it references: missing, or older than the newest of them; null when it is
    /// at least as new as every one.</summary>
    public static string? StaleFile(string binary, string csproj, string root)
    {
        ArgumentNullException.ThrowIfNull(binary);
        if (!File.Exists(binary))
        {
            return $"{Relative(binary, root)} does not exist";
        }

        var built = File.GetLastWriteTimeUtc(binary);
        return Newest(ProjectClosure(csproj), root) is { } newest && newest.LastWriteUtc > built
            ? $"{Relative(binary, root)} ({Stamp(built)}) is older than {Relative(newest.Path, root)} ({Stamp(newest.LastWriteUtc)})"
            : null;
    }

    /// <summary>Why the build output folder <paramref name="outputDirectory"/> of <paramref name="csproj"/> (a JIT build: one
    /// assembly per project) does not match the sources: an assembly missing, or older than its own project's newest input
    /// (each project's assembly is compared with its own sources, since a referencing project is not compiled again when
    /// only the implementation of a project it references changed); null when every assembly is at least as new.</summary>
    public static string? StaleOutput(string outputDirectory, string csproj, string root)
    {
        ArgumentNullException.ThrowIfNull(outputDirectory);
        foreach (var project in ProjectClosure(csproj))
        {
            var assembly = Path.Combine(outputDirectory, AssemblyName(project) + ".dll");
            if (!File.Exists(assembly))
            {
                return $"{Relative(assembly, root)} does not exist";
            }

            var built = File.GetLastWriteTimeUtc(assembly);
            if (Newest([project], root) is { } newest && newest.LastWriteUtc > built)
            {
                return $"{Relative(assembly, root)} ({Stamp(built)}) is older than {Relative(newest.Path, root)} ({Stamp(newest.LastWriteUtc)})";
            }
        }

        return null;
    }

    /// <summary>A project's assembly name: its <c>&lt;AssemblyName&gt;</c>, else its file name.</summary>
    public static string AssemblyName(string csproj)
    {
        var declared = XDocument.Load(csproj).Descendants().FirstOrDefault(e => e.Name.LocalName == "AssemblyName")?.Value.Trim();
        return string.IsNullOrEmpty(declared) || declared.Contains('$', StringComparison.Ordinal) ? Path.GetFileNameWithoutExtension(csproj) : declared;
    }

    /// <summary><paramref name="path"/> relative to <paramref name="root"/> when under it, else as given.</summary>
    public static string Relative(string path, string root)
    {
        var relative = Path.GetRelativePath(root, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    private static string Stamp(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // The Include paths of the items named itemName that name one file (no wildcard, no property), made absolute.
    private static IEnumerable<string> Includes(string csproj, string itemName)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(csproj))!;
        foreach (var item in XDocument.Load(csproj).Descendants().Where(e => e.Name.LocalName == itemName))
        {
            var include = item.Attribute("Include")?.Value;
            if (string.IsNullOrWhiteSpace(include) || include.IndexOfAny(['*', '?', '$', ';']) >= 0)
            {
                continue;
            }

            yield return Path.GetFullPath(Path.Combine(folder, include.Replace('\\', Path.DirectorySeparatorChar)));
        }
    }

    private static IEnumerable<string> SourceFiles(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            if (SourceExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
            {
                yield return file;
            }
        }

        foreach (var sub in Directory.EnumerateDirectories(folder))
        {
            var name = Path.GetFileName(sub);
            if (name is "bin" or "obj" || name.StartsWith('.'))
            {
                continue;
            }

            foreach (var file in SourceFiles(sub))
            {
                yield return file;
            }
        }
    }
}
