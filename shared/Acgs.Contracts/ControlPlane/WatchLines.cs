// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.ControlPlane;

/// <summary>
/// The watch stream (<see cref="ControlPlaneRoutes.Watch"/>): NDJSON, one object per line,
/// <c>{"type":"snapshot","version","nonce","snapshot":{ConfigSnapshot}}</c> on connect and on every change, and
/// <c>{"type":"heartbeat"}</c> when idle. A sidecar answers each snapshot with a <see cref="Discovery.SnapshotAck"/>
/// carrying the line's version and nonce; lines of other types are skipped (a newer control plane may add some).
/// </summary>
public static class WatchLines
{
    /// <summary>The response content type.</summary>
    public const string ContentType = "application/x-ndjson";

    /// <summary>The <c>type</c> of a line carrying a snapshot.</summary>
    public const string SnapshotType = "snapshot";

    /// <summary>The <c>type</c> of an idle line.</summary>
    public const string HeartbeatType = "heartbeat";

    /// <summary>The idle line, newline included.</summary>
    public const string HeartbeatLine = "{\"type\":\"" + HeartbeatType + "\"}\n";
}
