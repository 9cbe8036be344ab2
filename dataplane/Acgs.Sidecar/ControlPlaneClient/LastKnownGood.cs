// Constitutional Hash: cdd01ef066bc6cf2

using System.Text;
using Acgs.Contracts.Config;

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>The last accepted snapshot on disk, written atomically (temp file, fsync, rename).</summary>
internal static class LastKnownGood
{
    /// <summary>Writes <paramref name="snapshot"/> to <paramref name="path"/> so a crash leaves either the old or the new file.</summary>
    public static async Task WriteAsync(string path, ConfigSnapshot snapshot, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        var bytes = Encoding.UTF8.GetBytes(ConfigSnapshotJson.Serialize(snapshot));
        var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>Reads the file, or null with the reason when it is missing or unreadable.</summary>
    public static async Task<(ConfigSnapshot? Snapshot, string? Error)> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return (null, "no last-known-good file");
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return ConfigSnapshotJson.TryParse(bytes, out var snapshot, out var error) ? (snapshot, null) : (null, error);
    }
}
