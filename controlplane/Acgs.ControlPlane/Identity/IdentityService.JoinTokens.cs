// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Acgs.ControlPlane.Audit;
using Acgs.ControlPlane.Discovery;
using Acgs.Contracts.Identity;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.ControlPlane.Identity;

internal sealed partial class IdentityService
{
    private const int MaxAttempts = 16;

    /// <summary>Mints a join token (admin). Returns the token once; the store keeps only the SHA-256 of its secret.</summary>
    public async Task<(JoinTokenResponse? Token, IReadOnlyList<string> Errors)> MintAsync(JoinTokenRequest? request, string actor, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var service = request?.Service;
        if (service is null || !Acgs.Contracts.Validation.ServiceName.IsValid(service))
        {
            errors.Add("service: is required: lowercase letters, digits, '-', '.', '_', at most 253 characters");
        }

        var hash = request?.ConstitutionalHash ?? _accepted.Primary;
        if (!ConstitutionalHashSet.TryCreate([hash], out _, out _))
        {
            errors.Add("constitutional_hash: must be 16 lowercase hexadecimal characters");
        }
        else if (!_accepted.Hashes.Contains(hash))
        {
            errors.Add("constitutional_hash: is not accepted by this mesh");
        }

        if (request?.TtlSeconds is { } ttl && ttl is < 1 or > JoinTokenPolicy.MaxTtlSeconds)
        {
            errors.Add($"ttl_seconds: must be 1-{JoinTokenPolicy.MaxTtlSeconds}");
        }

        if (request?.MaxUses is { } uses && uses is < 1 or > JoinTokenPolicy.MaxUses)
        {
            errors.Add($"max_uses: must be 1-{JoinTokenPolicy.MaxUses}");
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var secret = RandomNumberGenerator.GetBytes(32);
        var secretText = Base64Url.EncodeToString(secret);
        var now = _time.GetUtcNow();
        var record = new JoinTokenRecord
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Service = service!,
            ConstitutionalHash = hash,
            SecretSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secretText))),
            CreatedAt = now,
            ExpiresAt = now + (request!.TtlSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : _options.JoinTokenTtl),
            MaxUses = request.MaxUses ?? 1,
        };
        await _store.AddJoinTokenAsync(record, cancellationToken).ConfigureAwait(false);
        _metrics.JoinTokens.WithLabels("created").Inc();
        var detail = string.Create(CultureInfo.InvariantCulture, $"service={record.Service} hash={record.ConstitutionalHash} expires_at={record.ExpiresAt:O} max_uses={record.MaxUses}");
        await AppendAuditAsync(new AuditDraft(now, actor, IdentityActions.JoinTokenCreate, "join-token:" + record.Id, null, detail), cancellationToken).ConfigureAwait(false);
        return (View(record) with { Token = record.Id + "." + secretText }, errors);
    }

    /// <summary>Revokes a token; null when there is no such token. Revoking twice keeps the first time.</summary>
    public async Task<JoinTokenResponse?> RevokeAsync(string id, string actor, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await _store.GetJoinTokenAsync(id, cancellationToken).ConfigureAwait(false) is not { } current)
            {
                return null;
            }

            if (current.RevokedAt is not null)
            {
                return View(current);
            }

            var revoked = current with { RevokedAt = _time.GetUtcNow() };
            if (await _store.ReplaceJoinTokenAsync(current, revoked, cancellationToken).ConfigureAwait(false))
            {
                _metrics.JoinTokens.WithLabels("revoked").Inc();
                await AppendAuditAsync(new AuditDraft(revoked.RevokedAt.Value, actor, IdentityActions.JoinTokenRevoke, "join-token:" + id, null, "service=" + current.Service), cancellationToken).ConfigureAwait(false);
                return View(revoked);
            }
        }

        throw new InvalidOperationException("the join token kept changing; retry");
    }

    /// <summary>Every token, without secrets.</summary>
    public async Task<JoinTokenList> ListAsync(CancellationToken cancellationToken)
    {
        var tokens = await _store.ListJoinTokensAsync(cancellationToken).ConfigureAwait(false);
        return new JoinTokenList { Tokens = [.. tokens.Select(View)], Count = tokens.Count };
    }

    /// <summary>Checks a presented token and spends one use (compare-and-swap), or says why not.</summary>
    private async Task<(CallerIdentity?, IdentityRefusal?)> UseJoinTokenAsync(string presented, CsrRequest request, CancellationToken cancellationToken)
    {
        var dot = presented.IndexOf('.', StringComparison.Ordinal);
        var id = dot == 16 ? presented[..dot] : string.Empty;
        var record = id.Length == 16 ? await _store.GetJoinTokenAsync(id, cancellationToken).ConfigureAwait(false) : null;
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(dot < 0 ? presented : presented[(dot + 1)..]), digest);
        Span<byte> expected = stackalloc byte[32];
        var known = record is not null && Convert.FromHexString(record.SecretSha256, expected, out _, out var written) == System.Buffers.OperationStatus.Done && written == 32;
        if (!CryptographicOperations.FixedTimeEquals(digest, expected) || !known)
        {
            return (null, Refuse(401, IdentityReasons.JoinTokenInvalid, "The join token is not valid."));
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = _time.GetUtcNow();
            if (record!.RevokedAt is not null)
            {
                return (null, Refuse(401, IdentityReasons.JoinTokenRevoked, "The join token was revoked."));
            }

            if (now >= record.ExpiresAt)
            {
                return (null, Refuse(401, IdentityReasons.JoinTokenExpired, "The join token has expired."));
            }

            if (record.Uses >= record.MaxUses)
            {
                return (null, Refuse(401, IdentityReasons.JoinTokenUsed, "The join token was already used."));
            }

            if (!string.Equals(record.ConstitutionalHash, request.ConstitutionalHash, StringComparison.Ordinal))
            {
                return (null, Refuse(403, IdentityReasons.HashScope, "The join token is scoped to another constitutional hash."));
            }

            if (request.Service is { } service && !string.Equals(service, record.Service, StringComparison.Ordinal))
            {
                return (null, Refuse(403, IdentityReasons.ServiceMismatch, "The join token is scoped to another service."));
            }

            if (await _store.ReplaceJoinTokenAsync(record, record with { Uses = record.Uses + 1 }, cancellationToken).ConfigureAwait(false))
            {
                return (new CallerIdentity(SpiffeId.ForService(_options.TrustDomain, record.Service), "join_token", " join_token=" + record.Id), null);
            }

            record = await _store.GetJoinTokenAsync(id, cancellationToken).ConfigureAwait(false);
            if (record is null)
            {
                break;
            }
        }

        return (null, Refuse(401, IdentityReasons.JoinTokenInvalid, "The join token is not valid."));
    }

    private JoinTokenResponse View(JoinTokenRecord record) => new()
    {
        Id = record.Id,
        Service = record.Service,
        SpiffeId = SpiffeId.ForService(_options.TrustDomain, record.Service),
        ConstitutionalHash = record.ConstitutionalHash,
        CreatedAt = record.CreatedAt,
        ExpiresAt = record.ExpiresAt,
        MaxUses = record.MaxUses,
        Uses = record.Uses,
        RevokedAt = record.RevokedAt,
    };
}
