// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Audit;
using Acgs.ControlPlane.Store;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Identity;

internal sealed partial class IdentityService
{
    private async Task RecordRefusalAsync(IdentityRefusal refusal, string credential, string remote, string? joinToken, CancellationToken cancellationToken)
    {
        _metrics.Refused.WithLabels(refusal.Reason).Inc();
        LogRefused(refusal.Reason, credential, remote);
        var tokenId = joinToken is { Length: > 17 } && joinToken[16] == '.' && IsHex(joinToken.AsSpan(0, 16)) ? " join_token=" + joinToken[..16] : string.Empty;
        var detail = "reason=" + refusal.Reason + " status=" + refusal.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)
            + " credential=" + credential + " remote=" + remote + tokenId;
        await AppendAuditAsync(new AuditDraft(_time.GetUtcNow(), "anonymous", IdentityActions.Refuse, IdentityActions.Subject, null, detail), cancellationToken).ConfigureAwait(false);
    }

    private async Task AppendAuditAsync(AuditDraft draft, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var result = await _audit.AppendAuditAsync(draft, cancellationToken).ConfigureAwait(false);
            if (result.Status == CommitStatus.Committed)
            {
                return;
            }
        }

        throw new InvalidOperationException("the audit log kept changing; retry");
    }

    private static bool IsHex(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    [LoggerMessage(5900, LogLevel.Information, "[cdd01ef066bc6cf2] identity issued: {SpiffeId} serial {Serial} ({Credential}, hash {Hash}) valid until {NotAfter:u}")]
    private partial void LogIssued(string spiffeId, string serial, string credential, string hash, DateTimeOffset notAfter);

    [LoggerMessage(5901, LogLevel.Warning, "[cdd01ef066bc6cf2] identity refused: {Reason} ({Credential}) from {Remote}")]
    private partial void LogRefused(string reason, string credential, string remote);

    [LoggerMessage(5902, LogLevel.Warning, "[cdd01ef066bc6cf2] Kubernetes TokenReview failed: {Error}")]
    private partial void LogReviewFailed(string error);
}
