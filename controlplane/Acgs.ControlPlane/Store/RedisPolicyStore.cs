// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text.Json;
using Acgs.ControlPlane.Audit;
using Acgs.ControlPlane.Chaos;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Store;

/// <summary>
/// The production store on Redis. Keys (under <see cref="KeyPrefix"/>): <c>policy:&lt;id&gt;</c> a hash
/// with <c>rev</c> and <c>doc</c> (the JSON record), <c>policies</c> the set of ids, <c>audit</c> the
/// list of audit entries, <c>audit:head</c> "sequence:hash" of the last entry, <c>revision</c> the
/// commit counter, <c>chaos:emergency-stop</c> the engaged emergency stop (JSON; absent when lifted). A commit is one MULTI/EXEC guarded by WATCH-style conditions on the policy's
/// revision and on the audit head, so concurrent replicas never fork the chain.
/// </summary>
internal sealed partial class RedisPolicyStore : IPolicyStore
{
    private readonly IConnectionMultiplexer _connection;
    private readonly RedisKey _ids;
    private readonly RedisKey _audit;
    private readonly RedisKey _head;
    private readonly RedisKey _revision;
    private readonly RedisKey _stop;

    private readonly StoreIntegrityMonitor? _integrity;

    // The last records read, with the exact bytes each was read from (see Read); replaced whole by each list.
    private Dictionary<string, (byte[] Doc, PolicyRecord Policy)> _read = new(StringComparer.Ordinal);

    public RedisPolicyStore(IConnectionMultiplexer connection, string keyPrefix, StoreIntegrityMonitor? integrity = null)
    {
        _integrity = integrity;
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        _connection = connection;
        KeyPrefix = keyPrefix;
        _ids = keyPrefix + "policies";
        _audit = keyPrefix + "audit";
        _head = keyPrefix + "audit:head";
        _revision = keyPrefix + "revision";
        _stop = keyPrefix + "chaos:emergency-stop";
    }

    /// <summary>Prefix of every key (default <c>acgs:cp:</c>).</summary>
    public string KeyPrefix { get; }

    public string Kind => "redis";

    private IDatabase Database => _connection.GetDatabase();

    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<PolicyRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var doc = await Database.HashGetAsync(PolicyKey(id), "doc").ConfigureAwait(false);
        return doc.IsNull ? null : Read(id, doc, Volatile.Read(ref _read), null);
    }

    /// <remarks>
    /// One round trip when the set of ids is the one last read: the ids and the documents of the ids last read go in one
    /// pipelined batch; only ids that were not known (a policy created meanwhile) take a second. Every document is read
    /// from Redis on every call; one byte-for-byte equal to the one last read gives the record verified from it then.
    /// </remarks>
    public async Task<IReadOnlyList<PolicyRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var known = Volatile.Read(ref _read);
        var db = Database;
        var batch = db.CreateBatch();
        var members = batch.SetMembersAsync(_ids);
        var reads = new Dictionary<string, Task<RedisValue>>(known.Count, StringComparer.Ordinal);
        foreach (var id in known.Keys)
        {
            reads[id] = batch.HashGetAsync(PolicyKey(id), "doc");
        }

        batch.Execute();
        try
        {
            return await ListAsync(members, reads, known, db).ConfigureAwait(false);
        }
        finally
        {
            foreach (var pending in reads.Values)
            {
                // On a failure part way (Redis gone, a document that does not deserialize) the reads not awaited are observed here.
                _ = pending.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        }
    }

    private async Task<IReadOnlyList<PolicyRecord>> ListAsync(Task<RedisValue[]> members, Dictionary<string, Task<RedisValue>> reads,
        Dictionary<string, (byte[] Doc, PolicyRecord Policy)> known, IDatabase db)
    {
        var ids = await members.ConfigureAwait(false);
        var names = new List<string>(ids.Length);
        foreach (var id in ids)
        {
            names.Add(id.ToString());
        }

        names.Sort(StringComparer.Ordinal);
        List<string>? unknown = null;
        foreach (var name in names)
        {
            if (!reads.ContainsKey(name))
            {
                (unknown ??= []).Add(name);
            }
        }

        if (unknown is not null)
        {
            var more = db.CreateBatch();
            foreach (var name in unknown)
            {
                reads[name] = more.HashGetAsync(PolicyKey(name), "doc");
            }

            more.Execute();
        }

        var result = new List<PolicyRecord>(names.Count);
        var read = new Dictionary<string, (byte[] Doc, PolicyRecord Policy)>(names.Count, StringComparer.Ordinal);
        foreach (var name in names)
        {
            var doc = await reads[name].ConfigureAwait(false);
            if (!doc.IsNull && Read(name, doc, known, read) is { } policy)
            {
                result.Add(policy);
            }
        }

        await Task.WhenAll(reads.Values).ConfigureAwait(false); // the documents of policies deleted meanwhile: observed, not used
        Volatile.Write(ref _read, read);
        return result;
    }

    public Task<CommitResult> CommitAsync(PolicyRecord? expected, PolicyRecord updated, AuditDraft audit, CancellationToken cancellationToken) =>
        CommitAsync(expected, updated, audit, unlessEmergencyStop: false, cancellationToken);

    public async Task<CommitResult> CommitAsync(PolicyRecord? expected, PolicyRecord updated, AuditDraft audit, bool unlessEmergencyStop, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(audit);
        var db = Database;
        var head = await db.StringGetAsync(_head).ConfigureAwait(false);
        var (sequence, previousHash) = ParseHead(head);
        var entry = AuditChain.Seal(audit, sequence + 1, previousHash);
        var policyKey = PolicyKey(updated.Id);

        var transaction = db.CreateTransaction();
        transaction.AddCondition(expected is null
            ? Condition.KeyNotExists(policyKey)
            : Condition.HashEqual(policyKey, "rev", expected.Revision));
        transaction.AddCondition(head.IsNull ? Condition.KeyNotExists(_head) : Condition.StringEqual(_head, head));
        if (unlessEmergencyStop)
        {
            transaction.AddCondition(Condition.KeyNotExists(_stop));
        }

        _ = transaction.HashSetAsync(policyKey, [
            new HashEntry("rev", updated.Revision),
            new HashEntry("doc", JsonSerializer.SerializeToUtf8Bytes(updated, StoreJson.Options)),
        ]);
        _ = transaction.SetAddAsync(_ids, updated.Id);
        _ = transaction.ListRightPushAsync(_audit, JsonSerializer.SerializeToUtf8Bytes(entry, StoreJson.Options));
        _ = transaction.StringSetAsync(_head, string.Create(CultureInfo.InvariantCulture, $"{entry.Sequence}:{entry.Hash}"));
        var revision = transaction.StringIncrementAsync(_revision);
        if (!await transaction.ExecuteAsync().ConfigureAwait(false))
        {
            return unlessEmergencyStop && await db.KeyExistsAsync(_stop).ConfigureAwait(false) ? CommitResult.Stopped : CommitResult.Conflict;
        }

        return new CommitResult(CommitStatus.Committed, entry, await revision.ConfigureAwait(false));
    }

    public async Task<CommitResult> DeleteAsync(PolicyRecord expected, AuditDraft audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(audit);
        var db = Database;
        var head = await db.StringGetAsync(_head).ConfigureAwait(false);
        var (sequence, previousHash) = ParseHead(head);
        var entry = AuditChain.Seal(audit, sequence + 1, previousHash);
        var policyKey = PolicyKey(expected.Id);
        var transaction = db.CreateTransaction();
        transaction.AddCondition(Condition.HashEqual(policyKey, "rev", expected.Revision));
        transaction.AddCondition(head.IsNull ? Condition.KeyNotExists(_head) : Condition.StringEqual(_head, head));
        _ = transaction.KeyDeleteAsync(policyKey);
        _ = transaction.SetRemoveAsync(_ids, expected.Id);
        _ = transaction.ListRightPushAsync(_audit, JsonSerializer.SerializeToUtf8Bytes(entry, StoreJson.Options));
        _ = transaction.StringSetAsync(_head, string.Create(CultureInfo.InvariantCulture, $"{entry.Sequence}:{entry.Hash}"));
        var revision = transaction.StringIncrementAsync(_revision);
        return await transaction.ExecuteAsync().ConfigureAwait(false)
            ? new CommitResult(CommitStatus.Committed, entry, await revision.ConfigureAwait(false))
            : CommitResult.Conflict;
    }

    public async Task<EmergencyStop?> GetEmergencyStopAsync(CancellationToken cancellationToken)
    {
        var doc = await Database.StringGetAsync(_stop).ConfigureAwait(false);
        return doc.IsNull ? null : Deserialize<EmergencyStop>(doc);
    }

    public async Task<CommitResult> SetEmergencyStopAsync(EmergencyStop? stop, AuditDraft audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        var db = Database;
        var head = await db.StringGetAsync(_head).ConfigureAwait(false);
        var (sequence, previousHash) = ParseHead(head);
        var entry = AuditChain.Seal(audit, sequence + 1, previousHash);
        var transaction = db.CreateTransaction();
        transaction.AddCondition(head.IsNull ? Condition.KeyNotExists(_head) : Condition.StringEqual(_head, head));
        _ = stop is null
            ? transaction.KeyDeleteAsync(_stop)
            : transaction.StringSetAsync(_stop, JsonSerializer.SerializeToUtf8Bytes(stop, StoreJson.Options));
        _ = transaction.ListRightPushAsync(_audit, JsonSerializer.SerializeToUtf8Bytes(entry, StoreJson.Options));
        _ = transaction.StringSetAsync(_head, string.Create(CultureInfo.InvariantCulture, $"{entry.Sequence}:{entry.Hash}"));
        var revision = transaction.StringIncrementAsync(_revision);
        if (!await transaction.ExecuteAsync().ConfigureAwait(false))
        {
            return CommitResult.Conflict;
        }

        return new CommitResult(CommitStatus.Committed, entry, await revision.ConfigureAwait(false));
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(CancellationToken cancellationToken)
    {
        var items = await Database.ListRangeAsync(_audit).ConfigureAwait(false);
        var entries = new List<AuditEntry>(items.Length);
        foreach (var item in items)
        {
            entries.Add(Deserialize<AuditEntry>(item));
        }

        return entries;
    }

    public async Task<long> GetRevisionAsync(CancellationToken cancellationToken)
    {
        var value = await Database.StringGetAsync(_revision).ConfigureAwait(false);
        return value.IsNull ? 0 : (long)value;
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Database.PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return false;
        }
    }

    private static (long Sequence, string Hash) ParseHead(RedisValue head)
    {
        if (head.IsNull)
        {
            return (0, AuditChain.GenesisHash);
        }

        var text = head.ToString();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            throw new InvalidDataException("The audit head in Redis is malformed.");
        }

        return (sequence, text[(colon + 1)..]);
    }

    /// <summary>
    /// The record stored as <paramref name="doc"/>, verified (<see cref="Verified"/>), or null. When <paramref name="known"/> holds
    /// the same bytes for <paramref name="id"/>, the record verified from them is returned as it is (a record is immutable, and
    /// deserializing and hashing equal bytes gives the same result); a record that fails verification is never kept, so it is
    /// refused (and counted) on every read. A verified record is added to <paramref name="into"/> with its bytes.
    /// </summary>
    private PolicyRecord? Read(string id, RedisValue doc, Dictionary<string, (byte[] Doc, PolicyRecord Policy)> known, Dictionary<string, (byte[] Doc, PolicyRecord Policy)>? into)
    {
        var bytes = (byte[])doc!;
        PolicyRecord? policy;
        if (known.TryGetValue(id, out var last) && bytes.AsSpan().SequenceEqual(last.Doc))
        {
            policy = last.Policy;
        }
        else
        {
            policy = Verified(Deserialize<PolicyRecord>(doc));
        }

        if (policy is not null && into is not null)
        {
            into[id] = (bytes, policy);
        }

        return policy;
    }

    /// <summary><paramref name="policy"/>, or null (not served; counted and logged) when a version's content does not match its hash.</summary>
    private PolicyRecord? Verified(PolicyRecord policy)
    {
        if (PolicyIntegrity.FirstMismatch(policy) is not { } tampered)
        {
            return policy;
        }

        _integrity?.Refused("redis " + KeyPrefix + "policy:" + policy.Id, policy, tampered);
        return null;
    }

    private static T Deserialize<T>(RedisValue value)
        where T : class =>
        JsonSerializer.Deserialize<T>((byte[])value!, StoreJson.Options)
            ?? throw new InvalidDataException($"A {typeof(T).Name} in Redis is null.");

    private RedisKey PolicyKey(string id) => KeyPrefix + "policy:" + id;
}
