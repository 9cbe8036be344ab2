// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.ControlPlane.Audit;
using Acgs.ControlPlane.Chaos;

namespace Acgs.ControlPlane.Store;

/// <summary>
/// The default store: everything in memory, persisted after every commit to
/// <c>&lt;data dir&gt;/state.json</c> with an atomic replace (temp file, fsync, rename), so a
/// restart loses nothing that was acknowledged. A <c>.lock</c> file held open keeps a second
/// process from using the same directory. Commits are serialized by one lock. Loading verifies every policy version's
/// <c>content_sha256</c>: a state file edited by hand stops the start (<see cref="StoreIntegrityException"/>, exit 2).
/// </summary>
internal sealed partial class EmbeddedPolicyStore : IPolicyStore, IDisposable
{
    private const string StateFileName = "state.json";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _directory;
    private readonly Dictionary<string, PolicyRecord> _policies = new(StringComparer.Ordinal);
    private readonly List<AuditEntry> _audit = [];
    private FileStream? _lock;
    private long _revision;
    private EmergencyStop? _stop;

    public EmbeddedPolicyStore(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        _directory = Path.GetFullPath(dataDirectory);
    }

    public string Kind => "embedded";

    /// <summary>The full path of the state file.</summary>
    public string StatePath => Path.Combine(_directory, StateFileName);

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_lock is not null)
            {
                return;
            }

            Directory.CreateDirectory(_directory);
            try
            {
                _lock = new FileStream(Path.Combine(_directory, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException ex)
            {
                throw new InvalidOperationException($"The data directory {_directory} is in use by another control plane.", ex);
            }

            // A leftover .tmp is a write that never reached its rename: the state file before it is the truth.
            File.Delete(StatePath + ".tmp");
            if (!File.Exists(StatePath))
            {
                return;
            }

            var bytes = await File.ReadAllBytesAsync(StatePath, cancellationToken).ConfigureAwait(false);
            var state = JsonSerializer.Deserialize<EmbeddedState>(bytes, StoreJson.Options)
                ?? throw new InvalidDataException($"{StatePath} holds no state.");
            foreach (var policy in state.Policies)
            {
                if (PolicyIntegrity.FirstMismatch(policy) is { } tampered)
                {
                    _policies.Clear();
                    _lock.Dispose();
                    _lock = null; // not initialized: nothing is served from this store
                    throw new StoreIntegrityException(PolicyIntegrity.Describe(StatePath, policy, tampered));
                }

                _policies[policy.Id] = policy;
            }

            _audit.AddRange(state.Audit);
            _revision = state.Revision;
            _stop = state.EmergencyStop;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<PolicyRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _policies.GetValueOrDefault(id);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<PolicyRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var list = new List<PolicyRecord>(_policies.Values);
            list.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
            return list;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<CommitResult> CommitAsync(PolicyRecord? expected, PolicyRecord updated, AuditDraft audit, CancellationToken cancellationToken) =>
        CommitAsync(expected, updated, audit, unlessEmergencyStop: false, cancellationToken);

    public async Task<CommitResult> CommitAsync(PolicyRecord? expected, PolicyRecord updated, AuditDraft audit, bool unlessEmergencyStop, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(audit);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (unlessEmergencyStop && _stop is not null)
            {
                return CommitResult.Stopped;
            }

            var current = _policies.GetValueOrDefault(updated.Id);
            if (current?.Revision != expected?.Revision || (current is null) != (expected is null))
            {
                return CommitResult.Conflict;
            }

            var previousHash = _audit.Count == 0 ? AuditChain.GenesisHash : _audit[^1].Hash;
            var entry = AuditChain.Seal(audit, _audit.Count + 1, previousHash);
            var next = new EmbeddedState
            {
                Revision = _revision + 1,
                Policies = [.. _policies.Values.Where(p => p.Id != updated.Id).Append(updated).OrderBy(p => p.Id, StringComparer.Ordinal)],
                Audit = [.. _audit, entry],
                EmergencyStop = _stop,
            };

            // Persist first: memory changes only once the new state is safely on disk.
            var bytes = JsonSerializer.SerializeToUtf8Bytes(next, StoreJson.Options);
            await AtomicFile.WriteAsync(StatePath, bytes, CancellationToken.None).ConfigureAwait(false);
            _policies[updated.Id] = updated;
            _audit.Add(entry);
            _revision = next.Revision;
            return new CommitResult(CommitStatus.Committed, entry, _revision);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<CommitResult> DeleteAsync(PolicyRecord expected, AuditDraft audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(audit);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_policies.GetValueOrDefault(expected.Id)?.Revision != expected.Revision)
            {
                return CommitResult.Conflict;
            }

            var previousHash = _audit.Count == 0 ? AuditChain.GenesisHash : _audit[^1].Hash;
            var entry = AuditChain.Seal(audit, _audit.Count + 1, previousHash);
            var next = new EmbeddedState
            {
                Revision = _revision + 1,
                Policies = [.. _policies.Values.Where(p => p.Id != expected.Id).OrderBy(p => p.Id, StringComparer.Ordinal)],
                Audit = [.. _audit, entry],
                EmergencyStop = _stop,
            };

            // Persist first, as a commit does.
            await AtomicFile.WriteAsync(StatePath, JsonSerializer.SerializeToUtf8Bytes(next, StoreJson.Options), CancellationToken.None).ConfigureAwait(false);
            _policies.Remove(expected.Id);
            _audit.Add(entry);
            _revision = next.Revision;
            return new CommitResult(CommitStatus.Committed, entry, _revision);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<EmergencyStop?> GetEmergencyStopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _stop;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<CommitResult> SetEmergencyStopAsync(EmergencyStop? stop, AuditDraft audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previousHash = _audit.Count == 0 ? AuditChain.GenesisHash : _audit[^1].Hash;
            var entry = AuditChain.Seal(audit, _audit.Count + 1, previousHash);
            var next = new EmbeddedState
            {
                Revision = _revision + 1,
                Policies = [.. _policies.Values.OrderBy(p => p.Id, StringComparer.Ordinal)],
                Audit = [.. _audit, entry],
                EmergencyStop = stop,
            };

            var bytes = JsonSerializer.SerializeToUtf8Bytes(next, StoreJson.Options);
            await AtomicFile.WriteAsync(StatePath, bytes, CancellationToken.None).ConfigureAwait(false);
            _stop = stop;
            _audit.Add(entry);
            _revision = next.Revision;
            return new CommitResult(CommitStatus.Committed, entry, _revision);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return [.. _audit];
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<long> GetRevisionAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _revision;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<bool> PingAsync(CancellationToken cancellationToken) =>
        Task.FromResult(_lock is not null && Directory.Exists(_directory));

    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
        _gate.Dispose();
    }
}
