// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.ControlPlane.Store;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Identity;

/// <summary>
/// The identity state in Redis, shared by every replica: <c>&lt;prefix&gt;identity:ca</c> (the generated CA, set once
/// with NX so concurrent first starts agree) and the hash <c>&lt;prefix&gt;identity:join-tokens</c> (id → JSON record;
/// uses are counted with a compare-and-swap transaction, so a single-use token works once mesh-wide).
/// </summary>
internal sealed class RedisIdentityStore : IIdentityStore
{
    private readonly IConnectionMultiplexer _connection;
    private readonly RedisKey _ca;
    private readonly RedisKey _tokens;

    public RedisIdentityStore(IConnectionMultiplexer connection, string keyPrefix)
    {
        _connection = connection;
        _ca = keyPrefix + "identity:ca";
        _tokens = keyPrefix + "identity:join-tokens";
    }

    private IDatabase Database => _connection.GetDatabase();

    public async Task<string> GetOrCreateCaAsync(Func<string> create, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(create);
        var existing = await Database.StringGetAsync(_ca).ConfigureAwait(false);
        if (!existing.IsNull)
        {
            return existing.ToString();
        }

        await Database.StringSetAsync(_ca, create(), when: When.NotExists).ConfigureAwait(false);
        return (await Database.StringGetAsync(_ca).ConfigureAwait(false)).ToString();
    }

    public async Task AddJoinTokenAsync(JoinTokenRecord token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!await Database.HashSetAsync(_tokens, token.Id, Serialize(token), When.NotExists).ConfigureAwait(false))
        {
            throw new InvalidOperationException("duplicate join token id");
        }
    }

    public async Task<JoinTokenRecord?> GetJoinTokenAsync(string id, CancellationToken cancellationToken)
    {
        var value = await Database.HashGetAsync(_tokens, id).ConfigureAwait(false);
        return value.IsNull ? null : JsonSerializer.Deserialize<JoinTokenRecord>((byte[])value!, StoreJson.Options);
    }

    public async Task<bool> ReplaceJoinTokenAsync(JoinTokenRecord expected, JoinTokenRecord updated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(updated);
        var transaction = Database.CreateTransaction();
        transaction.AddCondition(Condition.HashEqual(_tokens, expected.Id, Serialize(expected)));
        _ = transaction.HashSetAsync(_tokens, updated.Id, Serialize(updated));
        return await transaction.ExecuteAsync().ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<JoinTokenRecord>> ListJoinTokensAsync(CancellationToken cancellationToken)
    {
        var values = await Database.HashValuesAsync(_tokens).ConfigureAwait(false);
        return [.. values.Select(static v => JsonSerializer.Deserialize<JoinTokenRecord>((byte[])v!, StoreJson.Options)!).OrderByDescending(static t => t.CreatedAt)];
    }

    private static byte[] Serialize(JoinTokenRecord token) => JsonSerializer.SerializeToUtf8Bytes(token, StoreJson.Options);
}
