// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;

namespace Acgs.Contracts.Bus;

/// <summary>The seed's message types (docs/bus-protocol.md), serialized snake_case; numeric values match the wire codes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MessageType>))]
public enum MessageType : byte
{
    /// <summary><c>command</c>.</summary>
    [JsonStringEnumMemberName("command")]
    Command = 0,

    /// <summary><c>query</c>.</summary>
    [JsonStringEnumMemberName("query")]
    Query = 1,

    /// <summary><c>response</c>.</summary>
    [JsonStringEnumMemberName("response")]
    Response = 2,

    /// <summary><c>event</c>.</summary>
    [JsonStringEnumMemberName("event")]
    Event = 3,

    /// <summary><c>notification</c>.</summary>
    [JsonStringEnumMemberName("notification")]
    Notification = 4,

    /// <summary><c>heartbeat</c>.</summary>
    [JsonStringEnumMemberName("heartbeat")]
    Heartbeat = 5,

    /// <summary><c>governance_request</c>.</summary>
    [JsonStringEnumMemberName("governance_request")]
    GovernanceRequest = 6,

    /// <summary><c>governance_response</c>.</summary>
    [JsonStringEnumMemberName("governance_response")]
    GovernanceResponse = 7,

    /// <summary><c>constitutional_validation</c>.</summary>
    [JsonStringEnumMemberName("constitutional_validation")]
    ConstitutionalValidation = 8,

    /// <summary><c>task_request</c>.</summary>
    [JsonStringEnumMemberName("task_request")]
    TaskRequest = 9,

    /// <summary><c>task_response</c>.</summary>
    [JsonStringEnumMemberName("task_response")]
    TaskResponse = 10,

    /// <summary><c>audit_log</c>.</summary>
    [JsonStringEnumMemberName("audit_log")]
    AuditLog = 11,
}
