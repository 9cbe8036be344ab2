// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Discovery;

/// <summary>
/// A sidecar's answer to a pushed snapshot: <c>POST</c> <see cref="ControlPlane.ControlPlaneRoutes.Ack"/> with
/// <c>{"service_name","node_id","version","nonce","accepted","errors"}</c>: accepted (ACK, no errors) or rejected (NACK, with
/// every error; the previous snapshot keeps serving). Checked by <see cref="SnapshotAckValidator"/>; serialized through
/// <see cref="Serialization.AcgsJsonContext"/>.
/// </summary>
/// <param name="ServiceName">The sidecar's service (JSON <c>service_name</c>).</param>
/// <param name="NodeId">The sidecar's node id (JSON <c>node_id</c>).</param>
/// <param name="Version">The snapshot version answered (JSON <c>version</c>).</param>
/// <param name="Nonce">The nonce of the stream line that carried it, or null (JSON <c>nonce</c>).</param>
/// <param name="Accepted">True for an ACK, false for a NACK (JSON <c>accepted</c>).</param>
/// <param name="Errors">Why the snapshot was rejected; empty for an ACK (JSON <c>errors</c>).</param>
public sealed record SnapshotAck(string? ServiceName, string? NodeId, string? Version, string? Nonce, bool Accepted, IReadOnlyList<string>? Errors)
{
    /// <summary>The answer of <paramref name="nodeId"/> of <paramref name="serviceName"/>: an ACK when <paramref name="errors"/> is empty, else a NACK.</summary>
    public static SnapshotAck Answer(string serviceName, string nodeId, string version, string? nonce, IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return new SnapshotAck(serviceName, nodeId, version, nonce, errors.Count == 0, errors);
    }
}
