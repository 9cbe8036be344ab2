// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Core.ConstitutionalHash;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Acgs.Sidecar.HashEnforcement;

/// <summary>
/// The hash policy of the active snapshot, precomputed when the snapshot is applied: the validator
/// for the accepted set, the mode, the exempt prefixes as <see cref="PathString"/>s and the primary
/// hash as a ready <see cref="StringValues"/> for stamping.
/// </summary>
internal sealed class HashPolicyRuntime
{
    private readonly PathString[] _exempt;

    private HashPolicyRuntime(ConstitutionalHashValidator validator, HashMode mode, PathString[] exempt)
    {
        Validator = validator;
        Mode = mode;
        _exempt = exempt;
        PrimaryHeaderValue = new StringValues(validator.Accepted.Primary);
    }

    /// <summary>The validator of the accepted set.</summary>
    public ConstitutionalHashValidator Validator { get; }

    /// <summary>enforce, audit or off.</summary>
    public HashMode Mode { get; }

    /// <summary>The primary hash as a header value (stamped on outbound requests that lack it).</summary>
    public StringValues PrimaryHeaderValue { get; }

    /// <summary>Builds the runtime policy of a validated snapshot.</summary>
    public static HashPolicyRuntime From(ConfigSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var set = ConstitutionalHashSet.Create(snapshot.GetAcceptedHashes());
        var prefixes = snapshot.HashPolicy.ExemptPathPrefixes;
        var exempt = new PathString[prefixes.Length];
        for (var i = 0; i < exempt.Length; i++)
        {
            exempt[i] = new PathString(prefixes[i].TrimEnd('/'));
        }

        return new HashPolicyRuntime(new ConstitutionalHashValidator(set), snapshot.HashPolicy.Mode, exempt);
    }

    /// <summary>
    /// True when <paramref name="path"/> starts with an exempt prefix (whole segments, case-insensitive), matched on
    /// its normalised form (<see cref="MatchPath"/>): no prefixes → no work; a plain path → one scan, no allocation.
    /// </summary>
    public bool IsExempt(PathString path)
    {
        var exempt = _exempt;
        if (exempt.Length == 0)
        {
            return false;
        }

        if (path.HasValue && MatchPath.NeedsNormalizing(path.Value))
        {
            path = new PathString(MatchPath.Normalize(path.Value));
        }

        for (var i = 0; i < exempt.Length; i++)
        {
            if (path.StartsWithSegments(exempt[i], StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
