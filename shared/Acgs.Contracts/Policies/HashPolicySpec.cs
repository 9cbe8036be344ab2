// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Acgs.Contracts.Config;
using Acgs.Contracts.Validation;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.Contracts.Policies;

/// <summary>Accepted constitutional hashes (rotation), enforcement mode and exempt paths (kind <c>HashPolicy</c>).</summary>
/// <param name="AcceptedHashes">Accepted hashes (1–8, each 16 lowercase hex characters); the first is stamped on outbound calls.</param>
/// <param name="Mode">enforce (default), audit or off.</param>
/// <param name="ExemptPaths">Path prefixes that need no hash (probes, metrics and admin are always exempt).</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record HashPolicySpec(
    ImmutableArray<string> AcceptedHashes = default,
    HashMode Mode = HashMode.Enforce,
    ImmutableArray<string> ExemptPaths = default) : PolicySpec
{
    /// <summary>Most exempt paths.</summary>
    public const int MaxExemptPaths = 64;

    /// <inheritdoc/>
    [JsonIgnore]
    public override PolicyKind Kind => PolicyKind.HashPolicy;

    /// <summary>Accepted hashes (1–8, each 16 lowercase hex characters); the first is stamped on outbound calls.</summary>
    public ImmutableArray<string> AcceptedHashes { get; init => field = value.IsDefault ? [] : value; } = AcceptedHashes.IsDefault ? [] : AcceptedHashes;

    /// <summary>Path prefixes that need no hash (probes, metrics and admin are always exempt).</summary>
    public ImmutableArray<string> ExemptPaths { get; init => field = value.IsDefault ? [] : value; } = ExemptPaths.IsDefault ? [] : ExemptPaths;

    internal override void Validate(ValidationBuilder errors, string path)
    {
        var hashes = ValidationPath.Child(path, "accepted_hashes");
        if (AcceptedHashes.IsEmpty)
        {
            errors.Add(hashes, "at least one accepted hash is required");
        }
        else if (AcceptedHashes.Length > ConstitutionalHashSet.MaxHashes)
        {
            errors.Add(hashes, $"must hold at most {ConstitutionalHashSet.MaxHashes} hashes, got {AcceptedHashes.Length}");
        }

        for (var i = 0; i < AcceptedHashes.Length; i++)
        {
            var hash = AcceptedHashes[i];
            if (!ConstitutionalHashSet.TryCreate([hash ?? string.Empty], out _, out _))
            {
                errors.Add(ValidationPath.Index(hashes, i), "must be 16 lowercase hexadecimal characters");
                continue;
            }

            for (var j = 0; j < i; j++)
            {
                if (string.Equals(AcceptedHashes[j], hash, StringComparison.Ordinal))
                {
                    errors.Add(ValidationPath.Index(hashes, i), $"repeats accepted_hashes[{j}]");
                    break;
                }
            }
        }

        if (!Enum.IsDefined(Mode))
        {
            errors.Add(ValidationPath.Child(path, "mode"), "must be enforce, audit or off");
        }

        var exempt = ValidationPath.Child(path, "exempt_paths");
        if (ExemptPaths.Length > MaxExemptPaths)
        {
            errors.Add(exempt, $"must hold at most {MaxExemptPaths} paths");
        }

        for (var i = 0; i < ExemptPaths.Length; i++)
        {
            errors.PathPrefix(ExemptPaths[i], ValidationPath.Index(exempt, i));
        }
    }
}
