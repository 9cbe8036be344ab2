// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.BusWire;

/// <summary>Reason code of an error frame (docs/bus-protocol.md lists which are fatal).</summary>
public enum BusErrorCode : byte
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>A frame or field cannot be decoded (bad magic is fatal; a bad field inside a delimited frame is not).</summary>
    MalformedFrame = 1,

    /// <summary>The declared body length exceeds <see cref="BusWireConstants.MaxBodyBytes"/> (fatal).</summary>
    FrameTooLarge = 2,

    /// <summary>A field exceeds its limit (ids 128 bytes, hash 64 bytes).</summary>
    FieldTooLarge = 3,

    /// <summary>The header carries a protocol version this peer does not speak (fatal).</summary>
    UnsupportedVersion = 4,

    /// <summary>The constitutional hash is absent or empty.</summary>
    HashMissing = 5,

    /// <summary>The constitutional hash is malformed or not accepted.</summary>
    HashMismatch = 6,

    /// <summary>The message tenant differs from the sender's or the recipient's registered tenant.</summary>
    TenantMismatch = 7,

    /// <summary>The message expired before it could be delivered.</summary>
    Expired = 8,

    /// <summary>The recipient is not connected, not in the directory and cannot be stored.</summary>
    UnknownAgent = 9,

    /// <summary>The recipient's queue is full; retry later (explicit backpressure, never a silent drop).</summary>
    Busy = 10,

    /// <summary>The connection sent a message before registering.</summary>
    NotRegistered = 11,

    /// <summary>The agent id is already registered (on this or another connection).</summary>
    DuplicateRegistration = 12,

    /// <summary>An unexpected failure inside the sidecar.</summary>
    Internal = 13,

    /// <summary>The message's from_agent is not the agent registered on the connection.</summary>
    AgentMismatch = 14,

    /// <summary>The sidecar hosting the recipient cannot be reached and no offline store is configured; retry later.</summary>
    Unavailable = 15,

    /// <summary>The connection does not read the replies written to it (its control queue is full); the sidecar closes it (fatal).</summary>
    SlowReader = 16,

    /// <summary>A peer-link register on a connection not authenticated as a mesh sidecar by its certificate (mTLS); the connection closes (fatal).</summary>
    PeerUnauthenticated = 17,

    /// <summary>The bus listener is at its connection limit; the connection closes (fatal).</summary>
    ConnectionLimit = 18,

    /// <summary>The connection did not register, finish a frame, or answer a ping in time; the connection closes (fatal).</summary>
    Timeout = 19,

    /// <summary>The agent id of a register is not 1-128 printable ASCII characters without spaces (the control plane's rule).</summary>
    InvalidAgentId = 20,

    /// <summary>An Authorization policy of the recipient's service does not allow the sending sidecar's identity to reach it.</summary>
    Forbidden = 21,
}
