// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Acgs.LoadTest.Builds;

/// <summary>Which binary a run measured, recorded in its report so a reader can tell a Native AOT figure from a JIT one:
/// the path, the kind of build (<c>native-aot</c>, <c>jit</c>, or <c>explicit</c> for a path the user named, which is
/// never checked for staleness), its modification time, size and SHA-256 (of the file started: the executable, or the
/// JIT build's entry assembly).</summary>
/// <param name="Role">What it ran as (e.g. <c>sidecar</c>, <c>sidecar-before</c>, <c>control-plane</c>).</param>
/// <param name="Path">The file started.</param>
/// <param name="Build"><c>native-aot</c>, <c>jit</c> or <c>explicit</c>.</param>
/// <param name="LastWriteUtc">Its modification time.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Sha256">Its SHA-256, lower-case hex.</param>
public sealed record MeasuredBinary(string Role, string Path, string Build, DateTime LastWriteUtc, long Bytes, string Sha256)
{
    /// <summary>Describes the existing file <paramref name="path"/>.</summary>
    public static MeasuredBinary Of(string role, string path, string build)
    {
        var full = System.IO.Path.GetFullPath(path);
        using var stream = File.OpenRead(full);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        return new MeasuredBinary(role, full, build, File.GetLastWriteTimeUtc(full), stream.Length, hash);
    }

    /// <summary>The report's JSON object of this binary.</summary>
    public JsonObject ToJson() => new()
    {
        ["role"] = Role,
        ["path"] = Path,
        ["build"] = Build,
        ["mtime"] = LastWriteUtc.ToString("O", CultureInfo.InvariantCulture),
        ["bytes"] = Bytes,
        ["sha256"] = Sha256,
    };

    /// <summary>One line for a Markdown report: role, build, path, modification time and the hash's first 16 digits.</summary>
    public string Describe(string root) => string.Create(CultureInfo.InvariantCulture,
        $"{Role}: {Build} `{BuildFreshness.Relative(Path, root)}` (modified {LastWriteUtc:yyyy-MM-dd HH:mm:ss}Z, {Bytes} bytes, sha256 {Sha256[..16]})");
}
