// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.BusWire;

/// <summary>The seed's message types, one byte on the wire (docs/bus-protocol.md).</summary>
public enum WireMessageType : byte
{
    /// <summary>command</summary>
    Command = 0,

    /// <summary>query</summary>
    Query = 1,

    /// <summary>response</summary>
    Response = 2,

    /// <summary>event</summary>
    Event = 3,

    /// <summary>notification</summary>
    Notification = 4,

    /// <summary>heartbeat</summary>
    Heartbeat = 5,

    /// <summary>governance_request</summary>
    GovernanceRequest = 6,

    /// <summary>governance_response</summary>
    GovernanceResponse = 7,

    /// <summary>constitutional_validation</summary>
    ConstitutionalValidation = 8,

    /// <summary>task_request</summary>
    TaskRequest = 9,

    /// <summary>task_response</summary>
    TaskResponse = 10,

    /// <summary>audit_log</summary>
    AuditLog = 11,
}
