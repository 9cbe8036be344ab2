// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text.Json;
using Acgs.ControlPlane.Audit;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Store;

internal sealed partial class RedisPolicyStore
{
    public async Task<CommitResult> AppendAuditAsync(AuditDraft audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        var db = Database;
        var head = await db.StringGetAsync(_head).ConfigureAwait(false);
        var (sequence, previousHash) = ParseHead(head);
        var entry = AuditChain.Seal(audit, sequence + 1, previousHash);
        var transaction = db.CreateTransaction();
        transaction.AddCondition(head.IsNull ? Condition.KeyNotExists(_head) : Condition.StringEqual(_head, head));
        _ = transaction.ListRightPushAsync(_audit, JsonSerializer.SerializeToUtf8Bytes(entry, StoreJson.Options));
        _ = transaction.StringSetAsync(_head, string.Create(CultureInfo.InvariantCulture, $"{entry.Sequence}:{entry.Hash}"));
        var revision = transaction.StringGetAsync(_revision);
        if (!await transaction.ExecuteAsync().ConfigureAwait(false))
        {
            return CommitResult.Conflict;
        }

        var value = await revision.ConfigureAwait(false);
        return new CommitResult(CommitStatus.Committed, entry, value.IsNull ? 0 : (long)value);
    }
}
