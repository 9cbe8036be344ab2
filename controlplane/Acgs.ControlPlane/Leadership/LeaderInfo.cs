// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Leadership;

/// <summary>A leader as recorded in the lease: its replica id (with a per-process suffix) and the URL it serves at.</summary>
/// <param name="Id">The replica's origin: its <c>ACGS_REPLICA_ID</c> and a random per-process suffix.</param>
/// <param name="Url">Where other replicas forward leader-only calls.</param>
internal sealed record LeaderInfo(string Id, string Url)
{
    /// <summary>The replica name (the id without its per-process suffix).</summary>
    public string Replica => Id.LastIndexOf('/') is var slash and > 0 ? Id[..slash] : Id;

    /// <summary>The lease value: id and URL on one line each, then, with a <paramref name="signer"/>, their signature.</summary>
    public string Encode(LeaseSigner? signer)
    {
        var text = Id + "\n" + Url;
        return signer is null ? text : text + "\n" + signer.Sign(text);
    }

    /// <summary>
    /// Reads a lease value; null when it is not one, or when <paramref name="signer"/> is given and the value does not
    /// carry its valid signature (a lease written by someone without the admin token is not followed).
    /// </summary>
    public static LeaderInfo? Decode(string? value, LeaseSigner? signer)
    {
        if (value is null)
        {
            return null;
        }

        var first = value.IndexOf('\n', StringComparison.Ordinal);
        if (first <= 0 || first == value.Length - 1)
        {
            return null;
        }

        var second = value.IndexOf('\n', first + 1);
        var url = second < 0 ? value[(first + 1)..] : value[(first + 1)..second];
        if (url.Length == 0)
        {
            return null;
        }

        if (signer is not null && (second < 0 || !signer.Verify(value[..second], value[(second + 1)..])))
        {
            return null;
        }

        return new LeaderInfo(value[..first], url);
    }
}
