// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Store;

/// <summary>Crash-safe file replacement: write a temporary file, flush it to disk, rename it over the target.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="content"/> so that a reader (or a restart
    /// after a crash) sees either the old file or the new one, never a torn mix: the bytes go to
    /// <c>path.tmp</c>, are fsynced, then renamed over <paramref name="path"/> (rename is atomic on POSIX).
    /// </summary>
    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = path + ".tmp";
        var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        });
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
