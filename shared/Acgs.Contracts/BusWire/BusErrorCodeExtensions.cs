// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.BusWire;

/// <summary>Stable wire names of <see cref="BusErrorCode"/> (metric labels, problem documents, logs).</summary>
public static class BusErrorCodeExtensions
{
    /// <summary>The snake_case name of the code, e.g. <c>hash_mismatch</c>.</summary>
    public static string ToWireName(this BusErrorCode code) => code switch
    {
        BusErrorCode.None => "none",
        BusErrorCode.MalformedFrame => "malformed_frame",
        BusErrorCode.FrameTooLarge => "frame_too_large",
        BusErrorCode.FieldTooLarge => "field_too_large",
        BusErrorCode.UnsupportedVersion => "unsupported_version",
        BusErrorCode.HashMissing => "hash_missing",
        BusErrorCode.HashMismatch => "hash_mismatch",
        BusErrorCode.TenantMismatch => "tenant_mismatch",
        BusErrorCode.Expired => "expired",
        BusErrorCode.UnknownAgent => "unknown_agent",
        BusErrorCode.Busy => "busy",
        BusErrorCode.NotRegistered => "not_registered",
        BusErrorCode.DuplicateRegistration => "duplicate_registration",
        BusErrorCode.Internal => "internal",
        BusErrorCode.AgentMismatch => "agent_mismatch",
        BusErrorCode.Unavailable => "unavailable",
        BusErrorCode.SlowReader => "slow_reader",
        BusErrorCode.PeerUnauthenticated => "peer_unauthenticated",
        BusErrorCode.ConnectionLimit => "connection_limit",
        BusErrorCode.Timeout => "timeout",
        BusErrorCode.InvalidAgentId => "invalid_agent_id",
        BusErrorCode.Forbidden => "forbidden",
        _ => "unknown",
    };

    /// <summary>Whether the code closes the connection (the stream cannot be resynchronised).</summary>
    public static bool IsFatal(this BusErrorCode code) =>
        code is BusErrorCode.FrameTooLarge or BusErrorCode.UnsupportedVersion or BusErrorCode.SlowReader
            or BusErrorCode.PeerUnauthenticated or BusErrorCode.ConnectionLimit or BusErrorCode.Timeout;
}
