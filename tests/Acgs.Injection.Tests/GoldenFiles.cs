// Constitutional Hash: cdd01ef066bc6cf2

using System.Runtime.CompilerServices;

namespace Acgs.Injection.Tests;

/// <summary>
/// Reads golden files from the test output; with <c>ACGS_UPDATE_GOLDEN=1</c> writes them into the source tree instead
/// (review the diff before committing).
/// </summary>
internal static class GoldenFiles
{
    public static bool Updating => Environment.GetEnvironmentVariable("ACGS_UPDATE_GOLDEN") == "1";

    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", name));

    public static bool Exists(string name) => File.Exists(Path.Combine(AppContext.BaseDirectory, "Golden", name));

    public static void Write(string name, string content, [CallerFilePath] string caller = "") =>
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(caller)!, "Golden", name), content);
}
