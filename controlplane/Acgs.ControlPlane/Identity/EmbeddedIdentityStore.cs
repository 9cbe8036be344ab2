// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.ControlPlane.Store;

namespace Acgs.ControlPlane.Identity;

/// <summary>
/// The identity state beside the embedded store, in <c>&lt;data dir&gt;/identity/</c> (mode 0700): <c>ca.pem</c> (the
/// generated CA's certificate and private key) and <c>join-tokens.json</c>, both mode 0600 and replaced atomically.
/// </summary>
internal sealed class EmbeddedIdentityStore : IIdentityStore, IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _directory;
    private Dictionary<string, JoinTokenRecord>? _tokens;

    public EmbeddedIdentityStore(string dataDirectory)
    {
        _directory = Path.Combine(Path.GetFullPath(dataDirectory), "identity");
    }

    /// <summary>The CA file.</summary>
    public string CaPath => Path.Combine(_directory, "ca.pem");

    private string TokensPath => Path.Combine(_directory, "join-tokens.json");

    public async Task<string> GetOrCreateCaAsync(Func<string> create, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(create);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (File.Exists(CaPath))
            {
                return await File.ReadAllTextAsync(CaPath, cancellationToken).ConfigureAwait(false);
            }

            var pem = create();
            await WriteOwnerOnlyAsync(CaPath, System.Text.Encoding.UTF8.GetBytes(pem)).ConfigureAwait(false);
            return pem;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task AddJoinTokenAsync(JoinTokenRecord token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var tokens = await LoadAsync(cancellationToken).ConfigureAwait(false);
            if (!tokens.TryAdd(token.Id, token))
            {
                throw new InvalidOperationException("duplicate join token id");
            }

            await SaveAsync(tokens).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<JoinTokenRecord?> GetJoinTokenAsync(string id, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return (await LoadAsync(cancellationToken).ConfigureAwait(false)).GetValueOrDefault(id);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<bool> ReplaceJoinTokenAsync(JoinTokenRecord expected, JoinTokenRecord updated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(updated);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var tokens = await LoadAsync(cancellationToken).ConfigureAwait(false);
            if (!tokens.TryGetValue(expected.Id, out var current) || current != expected)
            {
                return false;
            }

            tokens[updated.Id] = updated;
            await SaveAsync(tokens).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<JoinTokenRecord>> ListJoinTokensAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return [.. (await LoadAsync(cancellationToken).ConfigureAwait(false)).Values.OrderByDescending(static t => t.CreatedAt)];
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Dictionary<string, JoinTokenRecord>> LoadAsync(CancellationToken cancellationToken)
    {
        if (_tokens is not null)
        {
            return _tokens;
        }

        var tokens = new Dictionary<string, JoinTokenRecord>(StringComparer.Ordinal);
        if (File.Exists(TokensPath))
        {
            var bytes = await File.ReadAllBytesAsync(TokensPath, cancellationToken).ConfigureAwait(false);
            foreach (var token in JsonSerializer.Deserialize<List<JoinTokenRecord>>(bytes, StoreJson.Options) ?? [])
            {
                tokens[token.Id] = token;
            }
        }

        return _tokens = tokens;
    }

    private Task SaveAsync(Dictionary<string, JoinTokenRecord> tokens) =>
        WriteOwnerOnlyAsync(TokensPath, JsonSerializer.SerializeToUtf8Bytes(tokens.Values.ToList(), StoreJson.Options));

    public void Dispose() => _gate.Dispose();

    /// <summary>Temp file created 0600 → fsync → rename; the directory is created 0700.</summary>
    private async Task WriteOwnerOnlyAsync(string path, byte[] content)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("owner-only files need a Unix file system");
        }

        if (!Directory.Exists(_directory))
        {
            Directory.CreateDirectory(_directory, OwnerOnly | UnixFileMode.UserExecute);
        }

        var temporary = path + ".tmp";
        File.Delete(temporary);
        var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            UnixCreateMode = OwnerOnly,
        });
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(content).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
