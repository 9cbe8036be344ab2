// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.BusWire;

/// <summary>The kind of a frame (third header byte).</summary>
public enum BusFrameType : byte
{
    /// <summary>Not a valid frame type.</summary>
    None = 0,

    /// <summary>Client → sidecar: register this connection as an agent (agent id, tenant, hash).</summary>
    Register = 1,

    /// <summary>Sidecar → client: the registration is accepted.</summary>
    RegisterAck = 2,

    /// <summary>Client → sidecar: send a message to another agent.</summary>
    Send = 3,

    /// <summary>Sidecar → client: a message for this agent (same body as <see cref="Send"/>).</summary>
    Deliver = 4,

    /// <summary>Both ways: a message id is acknowledged (consumer → sidecar → sender).</summary>
    Ack = 5,

    /// <summary>Both ways: a rejection or failure with a reason code (a nack when it names a message).</summary>
    Error = 6,

    /// <summary>Both ways: liveness probe carrying 8 opaque bytes.</summary>
    Ping = 7,

    /// <summary>Answer to <see cref="Ping"/> echoing its 8 bytes.</summary>
    Pong = 8,
}
