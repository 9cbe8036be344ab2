// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Frozen;

namespace Acgs.ControlPlane.StatusPage;

/// <summary>The page's files, embedded in the assembly (StatusPage/wwwroot) and read once.</summary>
internal static class StatusAssets
{
    private static readonly FrozenDictionary<string, byte[]> Files = Load();

    public static byte[] Get(string name) => Files[name];

    private static FrozenDictionary<string, byte[]> Load()
    {
        var assembly = typeof(StatusAssets).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in new[] { "status.html", "status.js", "status.css" })
        {
            using var stream = assembly.GetManifestResourceStream("Acgs.ControlPlane.StatusPage." + name)
                ?? throw new InvalidOperationException("embedded resource StatusPage/wwwroot/" + name + " is missing");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name] = copy.ToArray();
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
