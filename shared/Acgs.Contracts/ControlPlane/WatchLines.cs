// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.ControlPlane;

/// <summary>
/// The watch stream (<see cref="ControlPlaneRoutes.Watch(string, string, string)"/>): NDJSON, one object per line,
/// <c>{"type":"snapshot","version","nonce","snapshot":{ConfigSnapshot}}</c> on connect and on every change, and
/// <c>{"type":"heartbeat"}</c> when idle. A sidecar answers each snapshot with a <see cref="Discovery.SnapshotAck"/>
/// carrying the line's version and nonce (a stream opened with <see cref="DeltasParameter"/><c>=1</c> also gets
/// <see cref="DeltaType"/> lines); lines of other types are skipped (a newer control plane may add some).
/// </summary>
public static class WatchLines
{
    /// <summary>The response content type.</summary>
    public const string ContentType = "application/x-ndjson";

    /// <summary>The <c>type</c> of a line carrying a snapshot.</summary>
    public const string SnapshotType = "snapshot";

    /// <summary>
    /// The <c>type</c> of a line carrying a JSON Merge Patch (<see cref="JsonMergePatch"/>) against the snapshot of version
    /// <c>base</c> (the last one the sidecar ACKed): <c>{"type":"delta","version","base","nonce","patch":{...}}</c>. Sent only on
    /// a stream opened with <see cref="DeltasParameter"/><c>=1</c>; a sidecar that does not hold <c>base</c> NACKs it and gets the
    /// full snapshot next.
    /// </summary>
    public const string DeltaType = "delta";

    /// <summary>The watch query parameter (<c>1</c> or <c>0</c>, default 0) with which a sidecar asks for delta lines.</summary>
    public const string DeltasParameter = "deltas";

    /// <summary>
    /// The watch response header (value <c>1</c>) with which a control plane says it takes ACKs on an ACK stream
    /// (<see cref="ControlPlaneRoutes.AckStream"/>): one long-lived chunked <c>POST</c> per watch stream whose body is NDJSON,
    /// one <see cref="Discovery.SnapshotAck"/> per line, instead of one <c>POST</c> <see cref="ControlPlaneRoutes.Ack"/> per
    /// snapshot. A sidecar opens it only when the watch it answers carries this header; without it (an older control plane) it POSTs.
    /// </summary>
    public const string AckStreamHeader = "X-Acgs-Ack-Stream";

    /// <summary>The longest ACK line (newline excluded) the ACK stream takes; a longer answer goes by <c>POST</c>.</summary>
    public const int AckLineMaxBytes = 1024 * 1024;

    /// <summary>The <c>type</c> of an idle line.</summary>
    public const string HeartbeatType = "heartbeat";

    /// <summary>The idle line, newline included.</summary>
    public const string HeartbeatLine = "{\"type\":\"" + HeartbeatType + "\"}\n";
}
