// Constitutional Hash: cdd01ef066bc6cf2

using System.Text;
using System.Text.Json;
using Acgs.Contracts.Metering;
using Acgs.Contracts.Serialization;

namespace Acgs.ControlPlane.Metering;

/// <summary>
/// The embedded store's metering: an append-only file of windows (<c>metering.ndjson</c> in the data directory, one JSON
/// window a line, flushed to disk before a batch is acknowledged) and its index in memory, read back at start (a torn last
/// line is skipped). Ids are kept in a set, so a resent window is not stored twice. Windows past the retention are left
/// out when the file is read and the file is rewritten without them at most once an hour.
/// </summary>
internal sealed class EmbeddedMeteringStore : IMeteringStore, IDisposable
{
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly TimeSpan _retention;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private List<MeteringWindow> _windows = [];
    private DateTimeOffset _pruned;

    public EmbeddedMeteringStore(string dataDirectory, TimeProvider time, MeteringStoreOptions options)
    {
        Directory.CreateDirectory(dataDirectory);
        _path = Path.Combine(dataDirectory, "metering.ndjson");
        _time = time;
        _retention = options.Retention;
        _pruned = time.GetUtcNow();
        Load();
    }

    public async Task<int> AddAsync(IReadOnlyList<MeteringWindow> windows, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var fresh = new List<MeteringWindow>();
            var buffer = new MemoryStream();
            foreach (var window in windows)
            {
                if (_ids.Contains(window.Id) || fresh.Exists(w => w.Id == window.Id))
                {
                    continue;
                }

                fresh.Add(window);
                JsonSerializer.Serialize(buffer, window, AcgsJsonContext.Default.MeteringWindow);
                buffer.WriteByte((byte)'\n');
            }

            if (fresh.Count > 0)
            {
                await using (var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.Asynchronous))
                {
                    await file.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
                    file.Flush(flushToDisk: true);
                }

                foreach (var window in fresh)
                {
                    _ids.Add(window.Id);
                    _windows.Add(window);
                }
            }

            await PruneIfDueAsync(cancellationToken).ConfigureAwait(false);
            return fresh.Count;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<MeteringWindow>> QueryAsync(string? service, long fromUnixMs, long toUnixMs, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = new List<MeteringWindow>();
            foreach (var window in _windows)
            {
                if (window.StartUnixMs >= fromUnixMs && window.StartUnixMs < toUnixMs && (service is null || window.Service == service))
                {
                    result.Add(window);
                }
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private void Load()
    {
        if (!File.Exists(_path))
        {
            return;
        }

        var oldest = (_time.GetUtcNow() - _retention).ToUnixTimeMilliseconds();
        foreach (var line in File.ReadLines(_path, Encoding.UTF8))
        {
            MeteringWindow? window;
            try
            {
                window = JsonSerializer.Deserialize(line, AcgsJsonContext.Default.MeteringWindow);
            }
            catch (JsonException)
            {
                continue; // a line torn by a crash mid-append: its batch was never acknowledged, the sidecar resends it
            }

            if (window is not null && window.EndUnixMs >= oldest && _ids.Add(window.Id))
            {
                _windows.Add(window);
            }
        }
    }

    private async Task PruneIfDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now - _pruned < TimeSpan.FromHours(1))
        {
            return;
        }

        _pruned = now;
        var oldest = (now - _retention).ToUnixTimeMilliseconds();
        var kept = _windows.FindAll(w => w.EndUnixMs >= oldest);
        if (kept.Count == _windows.Count)
        {
            return;
        }

        var buffer = new MemoryStream();
        foreach (var window in kept)
        {
            JsonSerializer.Serialize(buffer, window, AcgsJsonContext.Default.MeteringWindow);
            buffer.WriteByte((byte)'\n');
        }

        await Store.AtomicFile.WriteAsync(_path, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
        foreach (var window in _windows)
        {
            if (window.EndUnixMs < oldest)
            {
                _ids.Remove(window.Id);
            }
        }

        _windows = kept;
    }
}
