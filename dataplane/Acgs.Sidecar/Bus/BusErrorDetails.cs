// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.BusWire;

namespace Acgs.Sidecar.Bus;

/// <summary>The fixed detail text of each error code (static UTF-8: writing an error allocates nothing).</summary>
internal static class BusErrorDetails
{
    public static ReadOnlySpan<byte> For(BusErrorCode code) => code switch
    {
        BusErrorCode.MalformedFrame => "frame or field cannot be decoded"u8,
        BusErrorCode.FrameTooLarge => "frame body exceeds 1048576 bytes"u8,
        BusErrorCode.FieldTooLarge => "field exceeds its size limit"u8,
        BusErrorCode.UnsupportedVersion => "unsupported protocol version; this sidecar speaks 1"u8,
        BusErrorCode.HashMissing => "constitutional hash missing"u8,
        BusErrorCode.HashMismatch => "constitutional hash not accepted"u8,
        BusErrorCode.TenantMismatch => "tenant differs from the sender's or recipient's registration"u8,
        BusErrorCode.Expired => "message expired before delivery"u8,
        BusErrorCode.UnknownAgent => "recipient is not connected and cannot be stored"u8,
        BusErrorCode.Busy => "recipient queue is full; retry later"u8,
        BusErrorCode.NotRegistered => "register before sending"u8,
        BusErrorCode.DuplicateRegistration => "agent id already registered"u8,
        BusErrorCode.AgentMismatch => "from_agent is not the registered agent"u8,
        BusErrorCode.Unavailable => "the sidecar hosting the recipient is unreachable and no offline store is configured; retry later"u8,
        BusErrorCode.SlowReader => "connection closed: it does not read the replies written to it (control queue full)"u8,
        BusErrorCode.PeerUnauthenticated => "peer link refused: the connection is not authenticated as a mesh sidecar (mutual TLS with a workload certificate required)"u8,
        BusErrorCode.ConnectionLimit => "connection refused: the bus is at its connection limit; retry later"u8,
        BusErrorCode.Timeout => "connection closed: no register, no complete frame or no answer to a ping in time"u8,
        BusErrorCode.InvalidAgentId => "agent id must be 1-128 printable ASCII characters without spaces"u8,
        BusErrorCode.Forbidden => "an Authorization policy of the recipient's service does not allow the sender"u8,
        _ => "internal error"u8,
    };
}
