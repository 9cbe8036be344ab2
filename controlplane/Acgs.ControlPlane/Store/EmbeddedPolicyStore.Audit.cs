// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.ControlPlane.Audit;

namespace Acgs.ControlPlane.Store;

internal sealed partial class EmbeddedPolicyStore
{
    public async Task<CommitResult> AppendAuditAsync(AuditDraft audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previousHash = _audit.Count == 0 ? AuditChain.GenesisHash : _audit[^1].Hash;
            var entry = AuditChain.Seal(audit, _audit.Count + 1, previousHash);
            var next = new EmbeddedState
            {
                Revision = _revision,
                Policies = [.. _policies.Values.OrderBy(p => p.Id, StringComparer.Ordinal)],
                Audit = [.. _audit, entry],
                EmergencyStop = _stop,
            };

            var bytes = JsonSerializer.SerializeToUtf8Bytes(next, StoreJson.Options);
            await AtomicFile.WriteAsync(StatePath, bytes, CancellationToken.None).ConfigureAwait(false);
            _audit.Add(entry);
            return new CommitResult(CommitStatus.Committed, entry, _revision);
        }
        finally
        {
            _gate.Release();
        }
    }
}
