// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Leadership;

/// <summary>A leader as recorded in the lease: its replica id (with a per-process suffix) and the URL it serves at.</summary>
/// <param name="Id">The replica's origin: its <c>ACGS_REPLICA_ID</c> and a random per-process suffix.</param>
/// <param name="Url">Where other replicas forward leader-only calls.</param>
internal sealed record LeaderInfo(string Id, string Url)
{
    /// <summary>The replica name (the id without its per-process suffix).</summary>
    public string Replica => Id.LastIndexOf('/') is var slash and > 0 ? Id[..slash] : Id;

    /// <summary>The lease value: id and URL on one line each.</summary>
    public string Encode() => Id + "\n" + Url;

    /// <summary>Reads a lease value; null when it is not one.</summary>
    public static LeaderInfo? Decode(string? value)
    {
        var newline = value?.IndexOf('\n', StringComparison.Ordinal) ?? -1;
        return newline > 0 && newline < value!.Length - 1 ? new LeaderInfo(value[..newline], value[(newline + 1)..]) : null;
    }
}
