// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Tools.Tests.HashCompliance;

/// <summary>Finds the repository root: the nearest directory above the test binaries holding Acgs.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Acgs.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Acgs.sln above {AppContext.BaseDirectory}");
    }
}
